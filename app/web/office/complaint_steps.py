"""The rules' steps on a complaint: accept or not, extend once, 已告知, public reply;
and, for insiders' reports, the identity (admins, audited) and the reward."""

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import ADMIN, COMPLAINT_HANDLERS
from app.extensions import db
from app.models.complaint import REWARD_STATES
from app.public.complaint_rules import RuleError, decide, extend, record_notice, save_public_reply
from app.public.complaints import visible_complaint
from app.public.insider import read_identity, set_reward
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.complaints import render_detail


def _visible(complaint_id: int):
    found = visible_complaint(current_user, complaint_id)
    if found is None:
        abort(404)
    return found


def _done(found, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("office.complaint", complaint_id=found.id))


def _refused(found, exc: Exception):
    db.session.rollback()
    return render_detail(found, error=str(exc), code=400)


@bp.route("/complaints/<int:complaint_id>/decide", methods=["POST"])
@roles_required(*COMPLAINT_HANDLERS)
def complaint_decide(complaint_id: int):
    found = _visible(complaint_id)
    choice = request.form.get("decision", "")
    if choice not in ("accepted", "rejected"):
        return render_detail(found, error=_("请选择受理或不予受理。"), code=400)
    try:
        decide(current_user, found, choice == "accepted", request.form.get("reason", ""))
    except RuleError as exc:
        return _refused(found, exc)
    return _done(found, _("已受理。") if choice == "accepted" else _("已决定不予受理。"))


@bp.route("/complaints/<int:complaint_id>/extend", methods=["POST"])
@roles_required(*COMPLAINT_HANDLERS)
def complaint_extend(complaint_id: int):
    found = _visible(complaint_id)
    try:
        extend(current_user, found, request.form.get("reason", ""))
    except RuleError as exc:
        return _refused(found, exc)
    return _done(found, _("期限已延长 15 个工作日。"))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.route("/complaints/<int:complaint_id>/notify", methods=["POST"])
@roles_required(*COMPLAINT_HANDLERS)
def complaint_notify(complaint_id: int):
    found = _visible(complaint_id)
    on = _date(request.form.get("on", ""))
    try:
        record_notice(current_user, found, on, request.form.get("method", ""))
    except RuleError as exc:
        return _refused(found, exc)
    return _done(found, _("已记录告知。"))


@bp.route("/complaints/<int:complaint_id>/public-reply", methods=["POST"])
@roles_required(*COMPLAINT_HANDLERS)
def complaint_public_reply(complaint_id: int):
    found = _visible(complaint_id)
    try:
        save_public_reply(current_user, found, request.form.get("public_reply", ""))
    except RuleError as exc:
        return _refused(found, exc)
    return _done(found, _("已保存公开答复。"))


@bp.route("/complaints/<int:complaint_id>/identity", methods=["POST"])
@roles_required(*ADMIN)
def complaint_identity(complaint_id: int):
    """The insider's identity, on this response only; the read is audited first."""
    found = _visible(complaint_id)
    if not found.insider:
        abort(404)
    identity = read_identity(current_user, found)
    db.session.commit()
    html, code = render_detail(found, identity=identity or False)
    return html, code, {"Cache-Control": "private, no-store"}


@bp.route("/complaints/<int:complaint_id>/reward", methods=["POST"])
@roles_required(*ADMIN)
def complaint_reward(complaint_id: int):
    found = _visible(complaint_id)
    if not found.insider:
        abort(404)
    status = request.form.get("reward_status", "")
    if status not in REWARD_STATES:
        return render_detail(found, error=_("请选择奖励状态。"), code=400)
    set_reward(current_user, found, status)
    return _done(found, _("已更新奖励状态。"))
