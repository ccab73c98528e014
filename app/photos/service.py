"""Photos attached to records: ingest, store once by hash, one Photo row per attachment.

No requests here: routes (and other services) pass the actor, the records and the
uploaded bytes or file. Functions flush, never commit; the caller commits.

The same photo attached twice to the same place (e.g. photos.js retrying after a lost
answer) gives back the existing row instead of a duplicate; attached to another item
or record it gets a row of its own. Either way the file is stored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import and_, or_

from app.checklists import Item, get_programme
from app.core import audit
from app.core.labels import PHOTO_KIND_LABELS
from app.extensions import db
from app.models import Answer, Establishment, Inspection, Photo
from app.models.photo import PHOTO_KINDS
from app.photos import PhotoError, ProcessedPhoto, StorageFull, ingest
from app.photos.storage import storage_from_config, store_photo

PLACES = ("inspection_id", "item_id", "complaint_id", "action_id", "registration_id")


class Refusals(list):
    """One Chinese message per refused file; storage_full when the store had no room."""

    storage_full = False


class PhotoNotRemovable(ValueError):
    """A photo that is part of a submitted record and so stays."""


@dataclass(frozen=True, slots=True)
class GalleryPhoto:
    """A photo with what it shows: its kind, and for item photos the inspection and item."""

    photo: Photo
    label: str
    inspection: Inspection | None = None
    item_text: str = ""

    @property
    def when(self) -> datetime:
        """Taken-at time when the camera recorded it, else the upload time."""
        return self.photo.taken_at or self.photo.created_at


def ingest_with_config(data: bytes | BinaryIO, config: Mapping[str, Any]) -> ProcessedPhoto:
    """Run the photo pipeline with the configured limits (raises PhotoError)."""
    return ingest(
        getattr(data, "stream", data),  # a werkzeug FileStorage reads through its stream
        max_bytes=int(config["FANGXIN_PHOTO_MAX_BYTES"]),
        max_pixels=int(config["FANGXIN_PHOTO_MAX_PIXELS"]),
        long_edge=int(config["FANGXIN_PHOTO_LONG_EDGE"]),
        thumb_edge=int(config["FANGXIN_PHOTO_THUMB_EDGE"]),
        quality=int(config.get("FANGXIN_PHOTO_QUALITY", 82)),
    )


def attach_photo(
    actor,
    establishment: Establishment,
    data_or_file: bytes | BinaryIO,
    *,
    kind: str,
    inspection: Inspection | None = None,
    item_id: str | None = None,
    complaint=None,
    action=None,
    registration=None,
    config: Mapping[str, Any],
) -> Photo:
    """Check, shrink and store an upload and attach it; PhotoError (bad file), StorageFull."""
    place = {
        "inspection_id": getattr(inspection, "id", None),
        "item_id": item_id,
        "complaint_id": getattr(complaint, "id", None),
        "action_id": getattr(action, "id", None),
        "registration_id": getattr(registration, "id", None),
    }
    check_place(establishment, kind, inspection, place)
    processed = ingest_with_config(data_or_file, config)
    existing = find_attached(establishment, kind, processed.sha256, place)
    if existing is not None:
        return existing
    store_photo(storage_from_config(config), processed)
    photo = new_photo(actor, establishment, kind, processed, place)
    audit.record(
        actor,
        "create",
        photo,
        audit.message("photo.create", kind=audit.coded("PHOTO_KIND_LABELS", kind)),
        {"after": describe(photo)},
    )
    return photo


def attach_uploads(
    actor, establishment: Establishment, uploads, *, kind: str, config: Mapping[str, Any], **place
) -> list[Photo]:
    """Several files for one record (a plain form's `multiple` input); empty picks skipped.

    The first refused file raises PhotoError, its message led by the file name; the
    caller rolls back so that the record and its photos are kept together or not at all.
    """
    photos = []
    for upload in uploads:
        if not getattr(upload, "filename", ""):
            continue
        try:
            photos.append(
                attach_photo(actor, establishment, upload, kind=kind, config=config, **place)
            )
        except PhotoError as err:
            raise PhotoError(err.code, f"{upload.filename}：{err.message}") from err
    return photos


def check_place(establishment, kind: str, inspection, place: dict) -> None:
    """Refuse inconsistent attachments (programming errors, not user input)."""
    if kind not in PHOTO_KINDS:
        raise ValueError(f"unknown photo kind {kind!r}")
    if kind == "item" and (inspection is None or not place["item_id"]):
        raise ValueError("an item photo needs an inspection and an item id")
    if inspection is not None and inspection.establishment_id != establishment.id:
        raise ValueError("the inspection belongs to another establishment")


def find_attached(establishment, kind: str, sha256: str, place: dict) -> Photo | None:
    """The row already attaching this very photo to this very place, if any."""
    stmt = db.select(Photo).where(
        Photo.establishment_id == establishment.id, Photo.kind == kind, Photo.sha256 == sha256
    )
    for name, value in place.items():
        column = getattr(Photo, name)
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    return db.session.scalars(stmt.order_by(Photo.id).limit(1)).first()


def new_photo(actor, establishment, kind: str, processed: ProcessedPhoto, place: dict) -> Photo:
    """A flushed Photo row for a processed photo."""
    photo = Photo(
        sha256=processed.sha256,
        kind=kind,
        establishment_id=establishment.id,
        width=processed.width,
        height=processed.height,
        size_bytes=processed.size_bytes,
        taken_at=processed.taken_at,
        latitude=processed.latitude,
        longitude=processed.longitude,
        uploaded_by_id=getattr(actor, "id", None),
        **place,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def describe(photo: Photo) -> dict:
    """The audited facts of a photo."""
    fields = ("sha256", "kind", "establishment_id", *PLACES, "width", "height", "taken_at")
    return audit.snapshot(photo, (*fields, "latitude", "longitude"))


def photos_for_item(inspection: Inspection, item_id: str) -> list[Photo]:
    """The photos on one checklist item, in upload order."""
    stmt = db.select(Photo).where(
        Photo.inspection_id == inspection.id, Photo.item_id == item_id, Photo.kind == "item"
    )
    return list(db.session.scalars(stmt.order_by(Photo.id)))


def photos_by_item(inspection: Inspection) -> dict[str, list[Photo]]:
    """Every item photo of an inspection grouped by item id (one query for a whole page)."""
    stmt = db.select(Photo).where(Photo.inspection_id == inspection.id, Photo.kind == "item")
    grouped: dict[str, list[Photo]] = {}
    for photo in db.session.scalars(stmt.order_by(Photo.id)):
        grouped.setdefault(photo.item_id or "", []).append(photo)
    return grouped


def item_ids_with_photos(inspection: Inspection) -> set[str]:
    """Item ids holding at least one photo (validate_answers(..., photos=...))."""
    stmt = db.select(Photo.item_id).where(
        Photo.inspection_id == inspection.id, Photo.kind == "item", Photo.item_id.is_not(None)
    )
    return set(db.session.scalars(stmt.distinct()))


def photos_for_establishment(establishment: Establishment) -> list[GalleryPhoto]:
    """Every photo of an establishment, newest first, with its context.

    Photos of superseded inspection revisions are left out: the amendment carries copies.
    """
    stmt = (
        db.select(Photo, Inspection, Answer)
        .outerjoin(Inspection, Photo.inspection_id == Inspection.id)
        .outerjoin(
            Answer,
            and_(Answer.inspection_id == Photo.inspection_id, Answer.item_id == Photo.item_id),
        )
        .where(Photo.establishment_id == establishment.id)
        .where(or_(Inspection.id.is_(None), Inspection.superseded.is_(False)))
        .order_by(Photo.created_at.desc(), Photo.id.desc())
    )
    return [gallery_photo(*row) for row in db.session.execute(stmt)]


def gallery_photo(photo: Photo, inspection: Inspection | None, answer: Answer | None):
    """A gallery entry; an unanswered item's text comes from the programme."""
    item_text = answer.item_text if answer is not None and answer.item_text else ""
    if not item_text and inspection is not None and photo.item_id:
        item_text = programme_item_text(inspection, photo.item_id)
    return GalleryPhoto(photo, PHOTO_KIND_LABELS.get(photo.kind, photo.kind), inspection, item_text)


def inspection_item(inspection: Inspection, item_id: str) -> Item | None:
    """The checklist item of the inspection's programme with this id, or None."""
    try:
        return get_programme(inspection.programme).item(item_id)
    except KeyError:
        return None


def programme_item_text(inspection: Inspection, item_id: str) -> str:
    """An item's text in the programme, or its id when no longer there."""
    item = inspection_item(inspection, item_id)
    return item.text if item is not None else item_id


def removable(photo: Photo) -> bool:
    """Establishment photos and photos of draft inspections may be removed."""
    if photo.kind == "establishment":
        return True
    if photo.inspection_id is None:
        return False
    inspection = db.session.get(Inspection, photo.inspection_id)
    return inspection is not None and inspection.status == "draft"


def remove_photo(actor, photo: Photo) -> None:
    """Detach a photo (audited); the file stays since other rows may share its hash."""
    if not removable(photo):
        raise PhotoNotRemovable("照片属于已提交的记录，不能删除")
    audit.record(
        actor,
        "delete",
        photo,
        audit.message("photo.delete", kind=audit.coded("PHOTO_KIND_LABELS", photo.kind)),
        {"before": describe(photo)},
    )
    db.session.delete(photo)
    db.session.flush()


def copy_item_photos(old_inspection: Inspection, new_inspection: Inspection) -> list[Photo]:
    """Attach the old revision's item photos to its amendment (same files, new rows)."""
    copies = []
    for photo in db.session.scalars(
        db.select(Photo)
        .where(Photo.inspection_id == old_inspection.id, Photo.kind == "item")
        .order_by(Photo.id)
    ):
        copy = Photo(
            **{c: getattr(photo, c) for c in COPIED},
            inspection_id=new_inspection.id,
            establishment_id=new_inspection.establishment_id,
        )
        db.session.add(copy)
        copies.append(copy)
    db.session.flush()
    return copies


COPIED = (
    "sha256",
    "kind",
    "item_id",
    "width",
    "height",
    "size_bytes",
    "taken_at",
    "latitude",
    "longitude",
    "uploaded_by_id",
    "created_at",
)


def items_with_form_files(files, prefix: str = "photo-") -> set[str]:
    """The item ids a plain form posted a chosen file for (not yet checked)."""
    return {
        field.removeprefix(prefix)
        for field, upload in files.items(multi=True)
        if field.startswith(prefix) and getattr(upload, "filename", "")
    }


def attach_form_files(
    actor, inspection: Inspection, files, *, config: Mapping[str, Any], prefix: str = "photo-"
) -> list[str]:
    """Item photos sent with a whole checklist form (no JS): fields `photo-<item id>`.

    Returns one Chinese message per refused file, led by the item text; the good files
    are attached. Unknown items are ignored (the form is ours, so that is tampering). A
    full store refuses the file and every one after it (storage_full), the rest of the
    form being the caller's to keep.
    """
    messages = Refusals()
    for field, upload in files.items(multi=True):
        item_id = field.removeprefix(prefix)
        if not field.startswith(prefix) or not getattr(upload, "filename", ""):
            continue
        item = inspection_item(inspection, item_id)
        if item is None:
            continue
        if messages.storage_full:
            messages.append(f"【{item.text}】{upload.filename}：{StorageFull().message}")
            continue
        try:
            attach_photo(
                actor, inspection.establishment, upload, kind="item",
                inspection=inspection, item_id=item_id, config=config,
            )  # fmt: skip
        except (PhotoError, StorageFull) as err:
            messages.append(f"【{item.text}】{upload.filename}：{err.message}")
            messages.storage_full = messages.storage_full or isinstance(err, StorageFull)
    return messages
