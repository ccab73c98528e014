"""Office inspection pages: the filtered list, its export, and one inspection with its answers."""

from datetime import date

from flask import abort, render_template, request
from flask_login import current_user

from app.checklists import shipped_programmes
from app.core.scope import FIELD, OFFICE, establishment_scope
from app.extensions import db
from app.inspections import presence
from app.inspections.attempts import refused_attempts
from app.inspections.export import INSPECTION_HEADERS, inspection_rows
from app.inspections.queries import office_list, revisions_of
from app.inspections.submission import score_of
from app.models import Inspection, User
from app.photos import service as photo_service
from app.web.converters import db_int
from app.web.guards import establishment_or_404, roles_required
from app.web.office import bp
from app.web.plumbing import export_format, filtered_list, spreadsheet


def day_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, None when blank or malformed."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def inspection_filters() -> dict:
    """The list filters from the query string, cleaned."""
    return {
        "programme": request.args.get("programme", ""),
        "outcome": request.args.get("outcome", ""),
        "jurisdiction_id": request.args.get("jurisdiction_id", type=db_int),
        "inspector_id": request.args.get("inspector_id", type=db_int),
        "date_from": day_arg("date_from"),
        "date_to": day_arg("date_to"),
    }


@bp.route("/inspections")
@roles_required(*OFFICE)
def inspections():
    inspectors = db.session.scalars(
        db.select(User).where(User.role.in_(FIELD)).order_by(User.display_name)
    )
    return filtered_list(
        "office/inspections.html",
        office_list,
        inspection_filters(),
        programmes=shipped_programmes(),
        inspectors=list(inspectors),
        refusals=refused_attempts(establishment_scope(current_user)),
    )


@bp.route("/inspections/export.<fmt>")
@roles_required(*OFFICE)
def inspections_export(fmt: str):
    fmt = export_format(fmt)
    rows = inspection_rows(office_list(current_user, **inspection_filters()))
    return spreadsheet(fmt, "inspections", "检查记录", INSPECTION_HEADERS, rows)


@bp.route("/inspections/<int:insp_id>")
@roles_required(*OFFICE)
def inspection(insp_id: int):
    found = db.session.get(Inspection, insp_id)
    if found is None or found.status != "submitted":
        abort(404)
    establishment_or_404(found.establishment_id)
    return render_template(
        "office/inspection.html",
        inspection=found,
        revisions=revisions_of(found),
        score=score_of(found),
        photos=photo_service.photos_by_item(found),
        presence=presence.checks(found),
        far_metres=presence.FAR_METRES,
    )
