"""Resumable photo uploads: the bytes arrive in chunks at offsets, then finish into a photo.

Each chunk is one object in the photo store (app.photos.storage.part_storage: the local
tree's partial/ folder or the S3 bucket's), listed by an UploadPart row with its byte range,
and `received` is how many bytes are in: so any app server behind the same database and
store takes the next chunk or finishes the upload, whichever took the earlier ones.
Finishing runs the photo pipeline once and keeps what it made
(sha256 and the metadata) here, so that attaching it to an inspection item later, or twice,
needs no file. `photo_id` is the last Photo made from it (no foreign key: a removed draft
photo must not block anything); the uploader is the only user who may use it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Upload(db.Model):
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(36), unique=True)  # client-made UUID or ours
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    length: Mapped[int] = mapped_column(Integer)  # the whole file, declared at creation
    received: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the stored JPEG, once finished
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    # From the phone's EXIF at creation (the re-encode drops it); the file's own EXIF wins.
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    photo_id: Mapped[int | None] = mapped_column(Integer)


class UploadPart(db.Model):
    """One received chunk of an upload: bytes [start_byte, end_byte), one object in the store."""

    __tablename__ = "upload_part"
    __table_args__ = (UniqueConstraint("upload_id", "start_byte"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id", ondelete="CASCADE"))
    start_byte: Mapped[int] = mapped_column(Integer)
    end_byte: Mapped[int] = mapped_column(Integer)  # exclusive
