"""Serving photo files, and the per-photo uploads photos.js (or a plain form) sends.

Uploads answer JSON to photos.js (Accept: application/json) and redirect back with a
flashed message to a plain form post, to a safe `next` taken from the query string so
that it survives a body too large to parse. A full photo store raises StorageFull, which
app.web.plumbing answers with 507 for all of them.
"""

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.core.scope import FIELD, can_edit
from app.extensions import db, login_manager
from app.models import Inspection, Photo
from app.photos import PhotoError
from app.photos import service as photo_service
from app.photos.errors import too_large_message
from app.photos.storage import LocalStorage, full_key, storage_from_config, thumb_key
from app.web.guards import establishment_or_404, is_safe_next
from app.web.media import bp
from app.web.plumbing import wants_json

CACHE_FOREVER = "private, max-age=31536000, immutable"


# ---- serving ----------------------------------------------------------------------


@bp.route("/photos/<int:photo_id>.jpg")
def photo(photo_id: int):
    return send_photo(photo_id, full_key)


@bp.route("/photos/<int:photo_id>.thumb.jpg")
def thumb(photo_id: int):
    return send_photo(photo_id, thumb_key)


def send_photo(photo_id: int, key_of):
    """The stored JPEG for a photo the user may see; 404 for everyone else, signed in or not."""
    found = visible_photo(photo_id)
    storage = storage_from_config(current_app.config)
    key = key_of(found.sha256)
    try:
        source = storage.path(key) if isinstance(storage, LocalStorage) else storage.open(key)
        response = send_file(
            source, mimetype="image/jpeg", etag=found.sha256, conditional=True, max_age=None
        )
    except FileNotFoundError:
        current_app.logger.error("photo %s: file %s missing from storage", photo_id, key)
        return not_found()
    response.headers["Cache-Control"] = CACHE_FOREVER
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def visible_photo(photo_id: int) -> Photo:
    """The photo when the signed-in user may see its establishment (else 404)."""
    if not current_user.is_authenticated:
        not_found()
    found = db.session.get(Photo, photo_id)
    if found is None:
        not_found()
    establishment_or_404(found.establishment_id)
    return found


def not_found():
    """404, the same for a missing photo and for one the user may not see."""
    abort(404)


# ---- uploads ----------------------------------------------------------------------


@bp.route("/establishments/<int:est_id>/photos", methods=["POST"])
def upload_establishment_photo(est_id: int):
    """A storefront or licence-on-the-wall photo."""
    if (refusal := require_signed_in()) is not None:
        return refusal
    est = establishment_or_404(est_id)
    if current_user.role not in FIELD:
        return refuse(403, _("您没有权限进行此操作。"), est.id)
    return attach(est.id, est, kind="establishment")


@bp.route("/inspections/<int:inspection_id>/items/<item_id>/photos", methods=["POST"])
def upload_item_photo(inspection_id: int, item_id: str):
    """A photo on one checklist item of a draft inspection."""
    if (refusal := require_signed_in()) is not None:
        return refusal
    inspection = editable_inspection(inspection_id)
    if not isinstance(inspection, Inspection):
        return inspection
    if photo_service.inspection_item(inspection, item_id) is None:
        not_found()
    return attach(
        inspection.establishment_id,
        inspection.establishment,
        kind="item",
        inspection=inspection,
        item_id=item_id,
    )


@bp.route("/photos/<int:photo_id>/delete", methods=["POST"])
def delete_photo(photo_id: int):
    """Remove an establishment photo, or a photo from a draft inspection."""
    if (refusal := require_signed_in()) is not None:
        return refusal
    found = visible_photo(photo_id)
    est_id = found.establishment_id
    if found.inspection_id is not None:
        inspection = editable_inspection(found.inspection_id)
        if not isinstance(inspection, Inspection):
            return inspection
    elif current_user.role not in FIELD:
        return refuse(403, _("您没有权限进行此操作。"), est_id)
    try:
        photo_service.remove_photo(current_user, found)
    except photo_service.PhotoNotRemovable:
        return refuse(409, _("照片属于已提交的记录，不能删除。"), est_id)
    db.session.commit()
    if wants_json():
        return {"deleted": photo_id}
    flash(_("照片已删除。"), "success")
    return redirect(back(est_id))


def editable_inspection(inspection_id: int):
    """A draft the user may change, or the refusal to send (404, 403 or 409)."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        not_found()
    establishment_or_404(inspection.establishment_id)
    est_id = inspection.establishment_id
    own = can_edit(current_user) or inspection.inspector_id == current_user.id
    if current_user.role not in FIELD or not own:
        return refuse(403, _("您没有权限进行此操作。"), est_id)
    if inspection.status != "draft":
        return refuse(409, _("检查已提交，照片不能再更改。"), est_id)
    return inspection


def require_signed_in():
    """None when signed in; else 401 JSON for photos.js, or the login page for a form."""
    if current_user.is_authenticated:
        return None
    if wants_json():
        return {"error": _("登录已过期，请刷新页面并重新登录后再上传。")}, 401
    return login_manager.unauthorized()


def attach(est_id: int, establishment, **where):
    """Run the upload through the photo service and answer JSON or redirect."""
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return refuse(400, _("没有收到照片文件，请重新选择。"), est_id)
    try:
        saved = photo_service.attach_photo(
            current_user, establishment, upload, config=current_app.config, **where
        )
    except PhotoError as err:
        db.session.rollback()
        return refuse(413 if err.too_large else 400, err.message, est_id)
    db.session.commit()
    if wants_json():
        return photo_json(saved), 201
    flash(_("照片已上传。"), "success")
    return redirect(back(est_id))


def photo_json(saved: Photo) -> dict:
    """What photos.js expects for a stored photo."""
    return {
        "id": saved.id,
        "thumb_url": url_for("media.thumb", photo_id=saved.id),
        "url": url_for("media.photo", photo_id=saved.id),
    }


def refuse(status: int, message: str, est_id: int | None = None):
    """The error as {"error": …} for photos.js, or flashed on the page the form came from."""
    if wants_json():
        return {"error": message}, status
    flash(message, "error")
    return redirect(back(est_id))


def back(est_id: int | None) -> str:
    """The safe `next` of the query string, else the establishment's field page."""
    target = request.args.get("next")
    if is_safe_next(target):
        return target
    if est_id is not None and current_user.role in FIELD:
        return url_for("field.establishment", est_id=est_id)
    if est_id is not None:
        return url_for("office.establishment", est_id=est_id)
    return url_for("auth.index")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    """A body over MAX_CONTENT_LENGTH: the photo limit as JSON, or flashed for a plain form."""
    message = too_large_message(int(current_app.config["FANGXIN_PHOTO_MAX_BYTES"]))
    if wants_json():
        return {"error": message}, 413
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    flash(message, "error")
    return redirect(back((request.view_args or {}).get("est_id")))
