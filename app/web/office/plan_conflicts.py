"""Declared conflicts of interest (回避): the inspectors never drawn for a unit."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import ADMIN, FIELD, OFFICE
from app.extensions import db
from app.models import Establishment, User
from app.plans.service import conflicts, declare_conflict
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.office import bp


def field_users() -> list[User]:
    """Active field accounts by id."""
    query = db.select(User).where(User.active.is_(True), User.role.in_(FIELD)).order_by(User.id)
    return list(db.session.scalars(query))


@bp.get("/plan-conflicts")
@roles_required(*OFFICE)
def plan_conflicts():
    return render_template("office/plan_conflicts.html", rows=conflicts(), users=field_users())


@bp.post("/plan-conflicts")
@roles_required(*ADMIN)
def plan_conflict_add():
    """Record a declared conflict; a bad field is a message and nothing is lost."""
    user = db.session.get(User, request.form.get("user_id", type=db_int) or 0)
    code = request.form.get("licence_no", "").strip()
    est = db.session.scalar(db.select(Establishment).where(Establishment.licence_no == code))
    reason = request.form.get("reason", "").strip()[:500]
    if user is None or user.role not in FIELD or est is None or not reason:
        flash(_("请选择检查人员、填写单位的许可证号并说明回避理由。"), "error")
        return render_template(
            "office/plan_conflicts.html", rows=conflicts(), users=field_users(), form=request.form
        ), 400
    declare_conflict(current_user, user, est, reason)
    db.session.commit()
    flash(_("已登记回避。"), "success")
    return redirect(url_for("office.plan_conflicts"))
