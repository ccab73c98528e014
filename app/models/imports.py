"""Spreadsheet imports waiting between preview and confirm, and remembered column mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

IMPORT_KINDS = ("establishments", "users", "jurisdictions")


class ImportBatch(db.Model):
    """An uploaded file (kept in instance/imports under token) until it is confirmed or expires.

    Confirming claims the batch by setting confirmed_at with an UPDATE … WHERE confirmed_at IS
    NULL, so a double click or a replayed confirm imports once.
    """

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. the chosen column mapping
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # counts, shown again on a replay


class ColumnMapping(db.Model):
    """Which column holds which field, remembered for the next file with the same headers."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("kind", "header_signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    header_signature: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised headers
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> column index
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
