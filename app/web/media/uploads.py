"""Resumable photo uploads over JSON (uploads.js): create, chunk at offset, status, finish.

Session-authenticated like the other field JSON endpoints, CSRF header X-CSRFToken. Every
refusal is {"error": "中文", "permanent": bool}; permanent ones (too big, not an image, full
disk, not yours) are never retried by the client. A full disk (StorageFull) is answered by
app.web.plumbing: 507, permanent. The protocol is in app.photos.uploads.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.extensions import db
from app.models import Inspection
from app.photos import PhotoError, uploads
from app.photos import service as photo_service
from app.photos.metadata import CHINA_TZ
from app.web.converters import db_id_or_none, json_object
from app.web.media import bp
from app.web.media.routes import editable_inspection, photo_json

STATUS = {
    "not_found": 404,
    "not_yours": 403,
    "unfinished": 409,
    "offset": 409,
    "bad_token": 400,
    "chunk_too_large": 413,
    "past_end": 400,
}
TRANSIENT = ("unfinished", "offset")


def refused(status: int, message: str, permanent: bool = True, **extra):
    """A JSON refusal uploads.js understands."""
    return {"error": str(message), "permanent": permanent, **extra}, status


def upload_refusal(err: Exception):
    """The JSON answer for an UploadError or PhotoError (the transaction rolled back)."""
    db.session.rollback()
    if isinstance(err, PhotoError):
        return refused(413 if err.too_large else 400, err.message)
    extra = {"offset": err.offset} if isinstance(err, uploads.OffsetMismatch) else {}
    return refused(STATUS[err.code], err.message, err.code not in TRANSIENT, **extra)


def field_user_refusal():
    """None for a signed-in field user, else the 401/403 answer."""
    if not current_user.is_authenticated:
        return refused(401, _("登录已过期，请刷新页面并重新登录后再上传。"), False)
    if current_user.role not in FIELD:
        return refused(403, _("您没有权限进行此操作。"))
    return None


def state(upload) -> dict:
    """What the client needs to know to go on."""
    out = {"upload": upload.token, "offset": upload.received, "length": upload.length}
    out |= {"finished": upload.finished_at is not None}
    if upload.photo_id is not None:
        out["photo_id"] = upload.photo_id
    return out


@bp.post("/uploads")
def create_upload():
    """Start an upload (or find the one the client's own token names)."""
    if (refusal := field_user_refusal()) is not None:
        return refusal
    body = json_object()
    length = body.get("length")
    if not isinstance(length, int) or isinstance(length, bool):
        return refused(400, _("没有收到照片文件，请重新选择。"))
    lat, lon = client_position(body.get("latitude"), body.get("longitude"))
    try:
        uploads.purge_expired(current_app.config)
        upload = uploads.create(
            current_user, length, config=current_app.config, token=body.get("upload"),
            filename=str(body.get("filename") or ""), taken_at=client_time(body.get("taken_at")),
            latitude=lat, longitude=lon,
        )  # fmt: skip
    except (uploads.UploadError, PhotoError) as err:
        return upload_refusal(err)
    db.session.commit()
    chunk = int(current_app.config["FANGXIN_UPLOAD_CHUNK_BYTES"])
    return state(upload) | {"chunk_size": chunk}, 201


@bp.get("/uploads/<token>")
def upload_status(token: str):
    """Where an upload stands: the offset to send from, or its photo."""
    if (refusal := field_user_refusal()) is not None:
        return refusal
    try:
        return state(uploads.owned(token, current_user))
    except uploads.UploadError as err:
        return upload_refusal(err)


@bp.patch("/uploads/<token>")
def upload_chunk(token: str):
    """One chunk at the offset in the Upload-Offset header."""
    if (refusal := field_user_refusal()) is not None:
        return refusal
    offset = request.headers.get("Upload-Offset", "")
    if not offset.isdigit():
        return refused(400, _("缺少上传位置"))
    try:
        upload = uploads.owned(token, current_user)
        received = uploads.append(
            upload, int(offset), request.get_data(cache=False), config=current_app.config
        )
    except (uploads.UploadError, PhotoError) as err:
        return upload_refusal(err)
    db.session.commit()
    return {"upload": upload.token, "offset": received, "length": upload.length}


@bp.post("/uploads/<token>/finish")
def finish_upload(token: str):
    """Make the photo; with an inspection and item in the body, attach it there too."""
    if (refusal := field_user_refusal()) is not None:
        return refusal
    body = json_object()
    target = finish_target(body)
    if target is not None and not isinstance(target[0], Inspection):
        return target[0]
    try:
        upload = uploads.finish(uploads.owned(token, current_user), config=current_app.config)
        out = state(upload)
        if target is not None:
            photo = uploads.attach(token, *target, current_user, config=current_app.config)
            out |= photo_json(photo) | {"photo_id": photo.id}
    except (uploads.UploadError, PhotoError) as err:
        return upload_refusal(err)
    db.session.commit()
    return out


def finish_target(body: dict):
    """(inspection, item_id) named by the finish body, (refusal,) or None when none named."""
    inspection_id, item_id = body.get("inspection_id"), body.get("item_id")
    if inspection_id is None and item_id is None:
        return None
    if db_id_or_none(inspection_id) is None or not isinstance(inspection_id, int):
        return (refused(400, _("照片要放到的检查项无效")),)
    if not isinstance(item_id, str):
        return (refused(400, _("照片要放到的检查项无效")),)
    inspection = editable_inspection(inspection_id)  # 404 for an inspection not visible
    if not isinstance(inspection, Inspection):
        return (inspection,)  # refuse()'s JSON answer: 403, or 409 once submitted
    if photo_service.inspection_item(inspection, item_id) is None:
        return (refused(404, _("照片要放到的检查项无效")),)
    return inspection, item_id


def client_time(value) -> datetime | None:
    """The phone's EXIF taken-at (ISO 8601; no zone = China time) as UTC, or None if odd."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    when = (when if when.tzinfo else when.replace(tzinfo=CHINA_TZ)).astimezone(UTC)
    plausible = datetime(2000, 1, 1, tzinfo=UTC) <= when <= datetime.now(UTC) + timedelta(days=1)
    return when if plausible else None


def client_position(lat, lon) -> tuple[float | None, float | None]:
    """The phone's EXIF position in decimal degrees, or (None, None) when unusable."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return None, None
    return (None, None) if lat == 0 and lon == 0 else (float(lat), float(lon))
