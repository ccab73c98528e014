"""A typical case (典型案例) the office publishes: written from a record or stand-alone."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.jurisdiction import Jurisdiction
from app.models.types import UTCDateTime, utcnow

CASE_STATES = ("draft", "published", "withdrawn")
CASE_SOURCES = ("", "inspection", "ledger", "complaint")  # "" = written stand-alone


class TypicalCase(db.Model):
    """One case; shown publicly only while published, the operator named only if chosen."""

    __tablename__ = "typical_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
    category: Mapped[str] = mapped_column(String(32), default="")
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"))
    source_kind: Mapped[str] = mapped_column(String(16), default="")
    source_id: Mapped[int | None] = mapped_column(Integer)
    found: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(Text, default="")
    penalty: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    show_operator_name: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    jurisdiction: Mapped[Jurisdiction | None] = relationship()
    establishment: Mapped[Establishment | None] = relationship()
