"""A re-inspection request (申请复查): an operator who fixed a problem asks for a visit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.inspection import Inspection
from app.models.types import UTCDateTime, utcnow

REQUEST_SOURCES = ("public", "office")
REQUEST_STATES = ("open", "done")


class ReinspectionRequest(db.Model):
    """One request; the contact name and phone are for the office only, never shown publicly."""

    __tablename__ = "reinspection_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    sender_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))

    # At most one open request per unit, even when two posts race.
    __table_args__ = (
        Index(
            "uq_reinspection_request_open",
            "establishment_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    establishment: Mapped[Establishment] = relationship()
    closing_inspection: Mapped[Inspection | None] = relationship()
