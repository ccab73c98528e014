"""Resumable photo uploads: create, append chunks at offsets, finish into a photo, attach.

A phone on a bad link sends a photo in small chunks (FANGXIN_UPLOAD_CHUNK_BYTES), each at
the offset the server says it has, so a dropped connection resumes instead of restarting
and no request holds a worker for long. The rules, tus-like:

- create(user, length, …) makes the upload, or gives back the same user's upload when the
  client replays its own token;
- append(upload, offset, chunk): offset == received appends; a chunk wholly or partly
  received already only adds its new tail (a re-sent chunk writes nothing twice); an
  offset past `received` raises OffsetMismatch carrying the right offset;
- finish(upload, config) runs the photo pipeline once (twice = the same result) and stores
  the photo by hash; attach(token, inspection, item_id, user, config=…) makes the item's
  Photo row, once per place.

Functions flush, never commit (append commits nothing either: the route does); no requests.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.extensions import db
from app.models import Inspection, Photo, Upload, User
from app.models.types import utcnow
from app.photos.errors import NOT_IMAGE, PhotoError, full_storage_raises, too_large_message
from app.photos.service import describe, find_attached, ingest_with_config, inspection_item
from app.photos.storage import storage_from_config, store_photo

TOKEN_RE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
KEEP_FINISHED = timedelta(days=30)
MESSAGES = {
    "not_found": _l("找不到这次上传，请重新选择照片"),
    "not_yours": _l("这次上传属于其他用户"),
    "unfinished": _l("照片还没有传完，请等待上传完成"),
    "bad_token": _l("上传编号无效"),
    "chunk_too_large": _l("上传分片过大"),
    "past_end": _l("上传的数据超过了照片的大小"),
}
# File signatures of the formats the pipeline takes: JPEG, PNG, WebP (RIFF…WEBP), HEIF (ftyp).
MAGIC = (
    lambda head: head.startswith(b"\xff\xd8\xff"),
    lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    lambda head: head[4:8] == b"ftyp",
)


class UploadError(ValueError):
    """A refused upload step: `code` says why, `message` is the Chinese text to show."""

    def __init__(self, code: str, message: object = None) -> None:
        self.code = code
        self.message = str(message if message is not None else MESSAGES[code])
        super().__init__(self.message)


class OffsetMismatch(UploadError):
    """A chunk sent for an offset the server has not reached; `offset` is where it is."""

    def __init__(self, offset: int) -> None:
        super().__init__("offset", _l("上传位置不一致，请从服务器记录的位置继续"))
        self.offset = offset


def get(token: str) -> Upload | None:
    """The upload with this token, or None (also for a malformed token)."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token.lower()):
        return None
    return db.session.scalar(db.select(Upload).where(Upload.token == token.lower()))


def owned(token: str, user: User) -> Upload:
    """The user's upload with this token; raises UploadError not_found or not_yours."""
    upload = get(token)
    if upload is None:
        raise UploadError("not_found")
    if upload.user_id != user.id:
        raise UploadError("not_yours")
    return upload


def create(
    user: User,
    length: int,
    *,
    config: Mapping[str, Any],
    token: str | None = None,
    filename: str = "",
    taken_at: datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Upload:
    """A new upload of length bytes, or the user's own one when token is replayed."""
    if token is not None:
        if not TOKEN_RE.fullmatch(str(token).lower()):
            raise UploadError("bad_token")
        if (existing := get(token)) is not None:
            return owned(existing.token, user)
    check_length(length, config)
    upload = Upload(
        token=(token or str(uuid.uuid4())).lower(), user_id=user.id, filename=filename[:255],
        length=length, received=0, taken_at=taken_at, latitude=latitude, longitude=longitude,
    )  # fmt: skip
    db.session.add(upload)
    db.session.flush()
    return upload


def check_length(length: int, config: Mapping[str, Any]) -> None:
    """Refuse an empty file or one over the photo limit (PhotoError, as the pipeline would)."""
    max_bytes = int(config["FANGXIN_PHOTO_MAX_BYTES"])
    if length > max_bytes:
        raise PhotoError("too_large", too_large_message(max_bytes))
    if length <= 0:
        raise PhotoError("empty", _l("没有收到照片文件，请重新选择"))


def part_path(config: Mapping[str, Any], upload: Upload) -> Path:
    """Where an upload's received bytes wait: FANGXIN_UPLOAD_DIR/partial/<token>.part."""
    return Path(str(config["FANGXIN_UPLOAD_DIR"])) / "partial" / f"{upload.token}.part"


def append(upload: Upload, offset: int, chunk: bytes, *, config: Mapping[str, Any]) -> int:
    """Write chunk at offset (only its part not received yet); returns the new offset."""
    if len(chunk) > int(config["FANGXIN_UPLOAD_CHUNK_BYTES"]):
        raise UploadError("chunk_too_large")
    if offset < 0 or offset > upload.received:
        raise OffsetMismatch(upload.received)
    if offset + len(chunk) > upload.length:
        raise UploadError("past_end")
    if upload.finished_at is not None or offset + len(chunk) <= upload.received:
        return upload.received  # a re-sent chunk: nothing new in it
    if offset == 0 and not any(test(chunk[:12]) for test in MAGIC):
        raise PhotoError("not_image", NOT_IMAGE)
    new = chunk[upload.received - offset :]
    write_at(part_path(config, upload), upload.received, new)
    return claim(upload, upload.received, upload.received + len(new))


def write_at(path: Path, position: int, data: bytes) -> None:
    """Write data at position in the part file (created when missing); full disk → StorageFull."""
    with full_storage_raises():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, data, position)
        finally:
            os.close(fd)


def claim(upload: Upload, old: int, new: int) -> int:
    """Move received from old to new unless a racing request did; returns the offset now."""
    result = db.session.execute(
        db.update(Upload)
        .where(Upload.id == upload.id, Upload.received == old)
        .values(received=new, updated_at=utcnow())
    )
    db.session.refresh(upload)
    return upload.received if result.rowcount == 0 else new


def finish(upload: Upload, *, config: Mapping[str, Any]) -> Upload:
    """Run the photo pipeline on the complete file and store the photo (once; StorageFull)."""
    if upload.finished_at is not None:
        return upload
    if upload.received < upload.length:
        raise UploadError("unfinished")
    path = part_path(config, upload)
    try:
        with path.open("rb") as fh:
            processed = ingest_with_config(fh, config)
        store_photo(storage_from_config(config), processed)
    except FileNotFoundError as err:
        raise UploadError("not_found") from err
    keep_result(upload, processed)
    path.unlink(missing_ok=True)
    return upload


def keep_result(upload: Upload, processed) -> None:
    """What the pipeline made, on the row; the file's own EXIF wins over the phone's."""
    upload.sha256 = processed.sha256
    upload.width, upload.height = processed.width, processed.height
    upload.size_bytes = processed.size_bytes
    upload.taken_at = processed.taken_at or upload.taken_at
    if processed.latitude is not None:
        upload.latitude, upload.longitude = processed.latitude, processed.longitude
    upload.finished_at = upload.updated_at = utcnow()
    db.session.flush()


def attach(
    token: str, inspection: Inspection, item_id: str, user: User, *, config: Mapping[str, Any]
) -> Photo:
    """The finished upload's photo on an inspection item; the same place twice = one row."""
    upload = owned(token, user)
    if upload.finished_at is None:
        finish(upload, config=config)
    if inspection_item(inspection, item_id) is None:
        raise ValueError(f"item {item_id!r} is not in the inspection's checklist")
    place = {"inspection_id": inspection.id, "item_id": item_id}
    place |= {"complaint_id": None, "action_id": None, "registration_id": None}
    photo = find_attached(inspection.establishment, "item", upload.sha256, place)
    if photo is None:
        photo = new_item_photo(upload, inspection, item_id, user)
    upload.photo_id = photo.id
    db.session.flush()
    return photo


def new_item_photo(upload: Upload, inspection: Inspection, item_id: str, user: User) -> Photo:
    """A flushed, audited Photo row for the upload on this item."""
    photo = Photo(
        sha256=upload.sha256, kind="item", establishment_id=inspection.establishment_id,
        inspection_id=inspection.id, item_id=item_id, width=upload.width, height=upload.height,
        size_bytes=upload.size_bytes, taken_at=upload.taken_at, latitude=upload.latitude,
        longitude=upload.longitude, uploaded_by_id=user.id,
    )  # fmt: skip
    db.session.add(photo)
    db.session.flush()
    audit.record(
        user,
        "create",
        photo,
        audit.message("photo.create", kind=audit.coded("PHOTO_KIND_LABELS", "item")),
        {"after": describe(photo)},
    )
    return photo


def purge_expired(config: Mapping[str, Any], now: datetime | None = None) -> int:
    """Delete abandoned uploads (unfinished past FANGXIN_UPLOAD_KEEP_HOURS, any past 30 days)."""
    now = now or utcnow()
    stale = now - timedelta(hours=int(config["FANGXIN_UPLOAD_KEEP_HOURS"]))
    old = db.session.scalars(
        db.select(Upload).where(
            ((Upload.finished_at.is_(None)) & (Upload.updated_at < stale))
            | (Upload.created_at < now - KEEP_FINISHED)
        )
    ).all()
    for upload in old:
        part_path(config, upload).unlink(missing_ok=True)
        db.session.delete(upload)
    db.session.flush()
    return len(old)
