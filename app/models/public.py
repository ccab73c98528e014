"""Codes taken out of use, and the short-code lookups counted for rate limiting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class RetiredCode(db.Model):
    """A QR token and short code replaced by new ones (placard lost or copied)."""

    __tablename__ = "retired_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str | None] = mapped_column(String(16), index=True)
    # Kept for the office's own records; the public "replaced" page never uses it.
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LookupAttempt(db.Model):
    """One short-code lookup, by a keyed hash of the client address (never the address)."""

    __tablename__ = "lookup_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
