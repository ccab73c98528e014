"""申请复查 on the public side: an operator who fixed a problem asks for a re-inspection."""

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.inspections.reinspection import (
    REINSPECTION_WORKING_DAYS,
    open_request,
    recent_by_sender,
    request_reinspection,
)
from app.public import status as public_status
from app.public.complaints import ComplaintLimited, check_limits
from app.registry.codes import is_retired_token
from app.web.public import bp
from app.web.public.complaint_status import private
from app.web.public.forms import ReinspectionForm
from app.web.public.routes import client, not_found, replaced


def establishment_or_gone(token: str):
    """(establishment, None) or (None, the page for a replaced or unknown code)."""
    found = public_status.load(token)
    if found is None:
        return None, replaced() if is_retired_token(token) else not_found(token)
    return found[0], None


@bp.route("/q/<token>/reinspection", methods=["GET", "POST"])
def reinspection(token: str):
    """The request form; a second request while one is open keeps the first."""
    est, gone = establishment_or_gone(token)
    if est is None:
        return gone
    form, limited = ReinspectionForm(), None
    if form.validate_on_submit():
        try:
            send_request(est, form)
        except ComplaintLimited as exc:
            db.session.rollback()
            limited = str(exc)
        else:
            db.session.commit()
            return redirect(url_for("public.reinspection_sent", token=token), 303)
    code = 429 if limited else (400 if form.errors else 200)
    html = render_template(
        "public/reinspection.html",
        est=est,
        token=token,
        form=form,
        limited=limited,
        pending=open_request(est),
        days=REINSPECTION_WORKING_DAYS,
    )
    return private(html, code)


def send_request(est, form: ReinspectionForm) -> None:
    """Record the request, limited per sender as complaints are (ComplaintLimited).

    With one already open nothing is added, so nothing is counted either.
    """
    if open_request(est) is not None:
        return
    sender, per_hour = client(), current_app.config["FANGXIN_COMPLAINTS_PER_SENDER_HOUR"]
    check_limits(sender, per_hour)
    if recent_by_sender(sender) >= per_hour:
        raise ComplaintLimited(_("您在一小时内已提交 %(n)d 次复查申请，请稍后再试。", n=per_hour))
    request_reinspection(
        est,
        "public",
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        note=form.note.data or "",
        sender_hash=sender,
    )


@bp.route("/q/<token>/reinspection/sent")
def reinspection_sent(token: str):
    """Thanks, with the deadline of the unit's open request (nothing personal shown)."""
    est, gone = establishment_or_gone(token)
    if est is None:
        return gone
    html = render_template(
        "public/reinspection_sent.html",
        est=est,
        token=token,
        pending=open_request(est),
        days=REINSPECTION_WORKING_DAYS,
    )
    return private(html)
