"""The hazard ledger (挂账督办): a failed item followed until it is fixed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.types import UTCDateTime, utcnow

ENTRY_STATES = ("open", "rectified", "verified", "escalated")


class LedgerEntry(db.Model):
    """One failed item on the ledger. The table keeps its first name, "action", which the
    audit log's entity column and Photo.action_id refer to."""

    __tablename__ = "action"
    # The due list's overdue entries (state not verified, due by a day): the open few, not all.
    __table_args__ = (
        Index(
            "ix_action_open_due",
            "establishment_id",
            "due_date",
            postgresql_where=text("state <> 'verified'"),
            sqlite_where=text("state <> 'verified'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    # The inspection whose failed item opened the entry, or the failing sample (抽检/快检).
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(64))
    item_text: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectification_note: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verifying_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    establishment: Mapped[Establishment] = relationship()
