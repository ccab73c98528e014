"""Office pages for village food-safety coordinators (协管员)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.clock import local_today
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.models import Coordinator
from app.registers import coordinators
from app.web.guards import roles_required
from app.web.registers import bp
from app.web.registers.forms import CoordinatorForm


def village_choices() -> list[tuple[int, str]]:
    """Villages for the select box, each under its street office."""
    return [(v.id, v.full_name) for v in db.session.scalars(coordinators.villages())]


@bp.route("/coordinators")
@roles_required(*OFFICE)
def coordinator_list():
    today = local_today()
    return render_template(
        "registers/coordinators.html",
        rows=coordinators.listing(),
        uncovered=coordinators.uncovered_villages(today),
        today=today,
    )


@bp.route("/coordinators/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def coordinator_new():
    return coordinator_form(None)


@bp.route("/coordinators/<int:coordinator_id>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def coordinator_edit(coordinator_id: int):
    return coordinator_form(db.session.get(Coordinator, coordinator_id) or abort(404))


def coordinator_form(existing: Coordinator | None):
    """Create or edit a coordinator through the same form."""
    form = CoordinatorForm(obj=existing)
    form.village_id.choices = village_choices()
    if form.validate_on_submit():
        try:
            if existing is None:
                coordinators.add(current_user, **form.values())
            else:
                coordinators.update(current_user, existing, **form.values())
        except coordinators.CoordinatorError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("已保存协管员。"), "success")
            return redirect(url_for("registers.coordinator_list"))
    return render_template("registers/coordinator_form.html", form=form, coordinator=existing)
