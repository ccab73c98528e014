"""Resumable photo uploads: create, append chunks at offsets, finish into a photo, attach.

A phone on a bad link sends a photo in small chunks (FANGXIN_UPLOAD_CHUNK_BYTES), each at
the offset the server says it has, so a dropped connection resumes instead of restarting
and no request holds a worker for long. The rules, tus-like:

- create(user, length, …) makes the upload, or gives back the same user's upload when the
  client replays its own token;
- append(upload, offset, chunk): offset == received appends; a chunk wholly or partly
  received already only adds its new tail (a re-sent chunk writes nothing twice); an
  offset past `received` raises OffsetMismatch carrying the right offset;
- the chunks are objects in the part store (app.photos.storage.part_storage: the local
  partial/ folder or the S3 bucket's), one per chunk as an object store cannot append, and
  the ranges received are UploadPart rows: nothing lives on one server's disk, so several
  app servers behind one database and one store continue each other's uploads;
- finish(upload, config) runs the photo pipeline once (twice = the same result) and stores
  the photo by hash; attach(token, inspection, item_id, user, config=…) makes the item's
  Photo row, once per place.

Functions flush, never commit (append commits nothing either: the route does); no requests.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.extensions import db
from app.models import Inspection, Photo, Upload, UploadPart, User
from app.models.types import utcnow
from app.photos.errors import NOT_IMAGE, PhotoError, too_large_message
from app.photos.service import describe, find_attached, ingest_with_config, inspection_item
from app.photos.storage import (
    Storage,
    part_storage,
    put_checked,
    storage_from_config,
    store_photo,
)

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


def part_key(upload: Upload, offset: int, end: int) -> str:
    """The part store's key for bytes [offset, end) of an upload."""
    return f"{upload.token.replace('-', '')}.{offset}-{end}.part"


def parts(upload: Upload) -> list[UploadPart]:
    """The upload's received chunks, in order."""
    stmt = db.select(UploadPart).where(UploadPart.upload_id == upload.id)
    return list(db.session.scalars(stmt.order_by(UploadPart.start_byte)))


def append(upload: Upload, offset: int, chunk: bytes, *, config: Mapping[str, Any]) -> int:
    """Store chunk at offset (only its part not received yet); returns the new offset."""
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
    old = upload.received
    new = chunk[old - offset :]
    store, key = part_storage(config), part_key(upload, old, old + len(new))
    put_checked(store, key, new)  # first the bytes, then the claim that names them
    return claim(upload, old, old + len(new), store, key)


def claim(upload: Upload, old: int, new: int, store: Storage, key: str) -> int:
    """Move received from old to new and list the part, unless a racing request did first.

    The compare-and-set on `received` lets one request win on whatever server; a loser
    whose object is not the winner's (another range) deletes it. Returns the offset now.
    """
    result = db.session.execute(
        db.update(Upload)
        .where(Upload.id == upload.id, Upload.received == old)
        .values(received=new, updated_at=utcnow())
    )
    if result.rowcount == 1:
        db.session.add(UploadPart(upload_id=upload.id, start_byte=old, end_byte=new))
        db.session.flush()
    db.session.refresh(upload)
    if result.rowcount == 1:
        return new
    winner = db.session.scalar(
        db.select(UploadPart.end_byte).where(
            UploadPart.upload_id == upload.id, UploadPart.start_byte == old
        )
    )
    if winner != new:
        store.delete(key)
    return upload.received


def assemble(upload: Upload, store: Storage):
    """The whole received file from its parts, as a temporary file at position 0.

    FileNotFoundError when a part is missing or the parts do not cover the file.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (caller closes)
    position = 0
    for part in parts(upload):
        if part.start_byte != position:
            spool.close()
            raise FileNotFoundError(f"upload {upload.token}: no part at {position}")
        with store.open(part_key(upload, part.start_byte, part.end_byte)) as fh:
            while block := fh.read(256 * 1024):
                spool.write(block)
        position = part.end_byte
    if position != upload.length:
        spool.close()
        raise FileNotFoundError(f"upload {upload.token}: {position} of {upload.length} bytes")
    spool.seek(0)
    return spool


def drop_parts(upload: Upload, store: Storage) -> None:
    """Delete the upload's chunks from the store and their rows."""
    for part in parts(upload):
        store.delete(part_key(upload, part.start_byte, part.end_byte))
    db.session.execute(db.delete(UploadPart).where(UploadPart.upload_id == upload.id))


def finish(upload: Upload, *, config: Mapping[str, Any]) -> Upload:
    """Run the photo pipeline on the complete file and store the photo (once; StorageFull)."""
    if upload.finished_at is not None:
        return upload
    if upload.received < upload.length:
        raise UploadError("unfinished")
    store = part_storage(config)
    try:
        with assemble(upload, store) as fh:
            processed = ingest_with_config(fh, config)
        store_photo(storage_from_config(config), processed)
    except FileNotFoundError as err:
        raise UploadError("not_found") from err
    keep_result(upload, processed)
    drop_parts(upload, store)
    db.session.flush()
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
    store = part_storage(config)
    for upload in old:
        drop_parts(upload, store)
        db.session.delete(upload)
    db.session.flush()
    return len(old)
