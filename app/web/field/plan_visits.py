"""The drawn partner confirms their part in a plan visit (确认参与检查)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.extensions import db
from app.models import PlanVisit
from app.plans.visits import confirm_part
from app.web.field import bp
from app.web.guards import roles_required


@bp.post("/plan-visits/<int:visit_id>/confirm")
@roles_required(*FIELD)
def confirm_plan_visit(visit_id: int):
    """Record the partner's confirmation, with the time; others get a message, not a 500."""
    visit = db.session.get(PlanVisit, visit_id)
    if visit is None:
        abort(404)
    error = confirm_part(visit, current_user)
    if error:
        flash(error, "error")
    else:
        db.session.commit()
        flash(_("已确认参与检查。"), "success")
    return redirect(url_for("field.home") + "#to-confirm")
