"""A lead department's written summary of one quarter or year for the city food-safety office.

One row per (lead department, period): it exists once someone saved it. Whether it is late
is not stored: it follows from the period's deadline (app.summaries.deadlines).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# Stored states; "not_started" (no row) and the late states are derived.
SUMMARY_STATES = ("draft", "submitted")


class DepartmentSummary(db.Model):
    """The texts a lead department writes for a period, and who saved and submitted them."""

    __tablename__ = "department_summary"
    __table_args__ = (UniqueConstraint("lead", "period_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead: Mapped[str] = mapped_column(String(64))  # as app.indicators.catalogue.LEADS names it
    period_code: Mapped[str] = mapped_column(String(16), index=True)  # 2024Q3 or 2024
    work_done: Mapped[str] = mapped_column(Text, default="")  # 工作开展情况
    problems: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    next_steps: Mapped[str] = mapped_column(Text, default="")  # 下步打算
    state: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The prefilled figures as they stood at submit (app.summaries.figures.freeze), so the
    # page and the Word file show what the department sent; None while a draft.
    frozen_figures: Mapped[dict | None] = mapped_column(JSON)

    saved_by: Mapped[User | None] = relationship(foreign_keys=[saved_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
