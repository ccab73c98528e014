"""The working-day calendar's days that differ from plain weekends, and the admin's entries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime
from app.models.user import User

CALENDAR_SOURCES = ("package", "admin")


class CalendarDay(db.Model):
    """A public holiday, a make-up working day (调休) or an admin's correction of one day.

    Rows from the chinese-calendar package ("package") are a copy kept for the SQL that
    counts working days (the indicators); the admin's rows ("admin") win over the package
    and are never overwritten by it. `shift` is what the day changes against the weekend
    rule: +1 a working Saturday or Sunday, -1 a weekday off, 0 neither (a named weekend).
    """

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(32), default="")
    shift: Mapped[int] = mapped_column(SmallInteger, default=0)
    source: Mapped[str] = mapped_column(String(8), index=True)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    set_by: Mapped[User | None] = relationship()
