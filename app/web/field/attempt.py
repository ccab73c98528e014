"""A visit that could not inspect (未能检查), recorded from the establishment page."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.inspections.attempts import AttemptRefused, record_attempt
from app.inspections.submission import normal_uuid
from app.web.field import bp
from app.web.field.routes import establishment_page
from app.web.guards import establishment_or_404, roles_required


@bp.post("/establishments/<int:est_id>/attempt")
@roles_required(*FIELD)
def attempt(est_id: int):
    est = establishment_or_404(est_id)
    try:
        record_attempt(
            current_user,
            est,
            request.form.get("reason", ""),
            request.form.get("note", ""),
            request.form.get("inspection_type") or "routine",
            photo=request.files.get("photo"),
            client_uuid=normal_uuid(request.form.get("client_uuid")),
            config=current_app.config,
        )
    except AttemptRefused as refused:
        for message in refused.messages:
            flash(message, "error")
        return establishment_page(est, attempt_form=request.form, status=422)
    flash(_("已记录未能检查；该单位仍在应检查名单上。"), "success")
    return redirect(url_for("field.establishment", est_id=est.id))
