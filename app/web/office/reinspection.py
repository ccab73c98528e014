"""The office records a re-inspection request (申请复查) received by phone."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import ADMIN
from app.extensions import db
from app.inspections.reinspection import request_reinspection
from app.public.complaints import normalise_phone
from app.web.guards import establishment_or_404, roles_required
from app.web.office import bp


@bp.route("/establishments/<int:est_id>/reinspection", methods=["POST"])
@roles_required(*ADMIN)
def reinspection_request(est_id: int):
    """Record the request; one already open is kept as it is."""
    est = establishment_or_404(est_id)
    back = redirect(url_for("office.establishment", est_id=est.id) + "#reinspection")
    phone = request.form.get("contact_phone", "").strip()
    if phone and normalise_phone(phone) is None:
        flash(_("请填写有效的手机号（11 位）或固定电话（区号-号码），也可以不填。"), "error")
        return back
    req, created = request_reinspection(
        est,
        "office",
        actor=current_user,
        contact_name=request.form.get("contact_name", "")[:64],
        contact_phone=normalise_phone(phone) if phone else "",
        note=request.form.get("note", "")[:500],
    )
    db.session.commit()
    if created:
        flash(_("已登记复查申请，期限 %(d)s。", d=req.due_on.isoformat()), "success")
    else:
        flash(_("该单位已有复查申请，期限 %(d)s。", d=req.due_on.isoformat()), "info")
    return back
