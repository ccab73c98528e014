"""Office registers: "three small" registrations, village coordinators, the hazard ledger."""

from flask import Blueprint

from app.core.clock import local_today

bp = Blueprint("registers", __name__)
bp.add_app_template_global(local_today, "local_today")


@bp.app_template_global()
def establishment_registers(est) -> dict:
    """Registration and live ledger entries of an establishment, for its pages."""
    from app.inspections.ledger import open_entries_for
    from app.registers.registrations import KIND_BY_CATEGORY, current_registration

    registration = current_registration(est) if est.category in KIND_BY_CATEGORY else None
    return {"registration": registration, "entries": open_entries_for(est)}


@bp.app_template_global()
def registration_reminders() -> dict:
    """The reminder lists for the signed-in user's area (for partials on others' pages)."""
    from flask_login import current_user

    from app.due.reminders import reminders

    return reminders(current_user)


from app.web.registers import (  # noqa: E402,F401
    coordinator_routes,
    ledger_routes,
    routes,
    sample_routes,
)
