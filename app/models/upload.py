"""Resumable photo uploads: the bytes arrive in chunks at offsets, then finish into a photo.

The chunks go to a part file (FANGXIN_UPLOAD_DIR/partial/<token>.part); `received` is how
many bytes of it are in. Finishing runs the photo pipeline once and keeps what it made
(sha256 and the metadata) here, so that attaching it to an inspection item later, or twice,
needs no file. `photo_id` is the last Photo made from it (no foreign key: a removed draft
photo must not block anything); the uploader is the only user who may use it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
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
