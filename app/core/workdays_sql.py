"""Working days counted in SQL (SQLite and PostgreSQL), for the figures that aggregate.

The count is the weekend rule's (weekdays in the range, from the day numbers and the day of
the week) plus the calendar_day shifts in the range (+1 a 调休 Saturday, -1 a weekday off).
calendar_day holds a copy of the package's years, made by sync_years before a figure runs;
the admin's rows are written there directly. A year no one knows counts weekends only,
as app.core.workdays does.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import Integer, and_, case, cast, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Date

from app.core import workdays
from app.core.sql_functions import dialect_function
from app.extensions import db
from app.models import CalendarDay

# WEEKDAYS[w * 7 + r]: weekdays among r consecutive days starting on weekday w (0 = Sunday).
WEEKDAYS = "".join(
    str(sum(1 for k in range(r) if (w + k) % 7 not in (0, 6))) for w in range(7) for r in range(7)
)


day_number = dialect_function(
    "day_number",
    Integer(),
    "CAST(julianday({}) AS INTEGER)",
    "(({}) - DATE '2000-01-01')",
    "A date as a whole number of days (only differences are meaningful).",
)
day_of_week = dialect_function(
    "day_of_week",
    Integer(),
    "CAST(strftime('%w', {}) AS INTEGER)",
    "CAST(EXTRACT(DOW FROM {}) AS INTEGER)",
    "0 for Sunday to 6 for Saturday.",
)
day_after = dialect_function(
    "day_after", Date(), "date({}, '+1 day')", "(({}) + 1)", "The next calendar date."
)


def weekdays_from(start, end) -> ColumnElement[int]:
    """Monday-to-Friday days d with start <= d < end (0 when end <= start)."""
    n = day_number(end) - day_number(start)
    rem = func.substr(literal(WEEKDAYS), day_of_week(start) * 7 + n % 7 + 1, 1)
    return case((n > 0, (n // 7) * 5 + cast(rem, Integer)), else_=0)


def working_days_from(start, end) -> ColumnElement[int]:
    """Working days d with start <= d < end, as app.core.workdays counts them."""
    cal = CalendarDay.__table__.alias("wd")
    shifts = (
        select(func.coalesce(func.sum(cal.c.shift), 0))
        .where(cal.c.day >= start, cal.c.day < end)
        .scalar_subquery()
    )
    return weekdays_from(start, end) + case((end > start, shifts), else_=0)


def within_working_days(start, done, n: int) -> ColumnElement[bool]:
    """done is no later than the n-th working day after start (workdays.add_working_days)."""
    return and_(done >= start, working_days_from(day_after(start), done) < n)


def package_rows(first: date, last: date) -> dict[date, tuple]:
    """The package's copy in calendar_day for the years first..last, as comparable tuples."""
    rows = db.session.scalars(
        db.select(CalendarDay).where(
            CalendarDay.day >= date(first.year, 1, 1), CalendarDay.day < date(last.year + 1, 1, 1)
        )
    )
    return {r.day: (r.source, r.is_working_day, r.name) for r in rows}


def sync_years(first: date, last: date) -> bool:
    """Copy the package's holidays and 调休 of the years first..last into calendar_day.

    The admin's rows stay; rows the package no longer has go. Commits when it changed
    anything (once per year and app: the package changes only with an upgrade), so a
    report's read-only request can run it; True if it wrote.
    """
    done = current_app.extensions.setdefault("fangxin_calendar_synced", set())
    years = [y for y in range(first.year, last.year + 1) if y not in done]
    if not years:
        return False
    stored = package_rows(date(years[0], 1, 1), date(years[-1], 1, 1))
    wanted = {d: v for y in years for d, v in workdays.package_year(y).items()}
    changed = False
    for day, (source, *_) in stored.items():
        if source == workdays.PACKAGE and day not in wanted and day.year in years:
            db.session.execute(db.delete(CalendarDay).where(CalendarDay.day == day))
            changed = True
    for day, entry in wanted.items():
        old = stored.get(day)
        if old and (
            old[0] == workdays.ADMIN or old == (entry.source, entry.is_working_day, entry.name)
        ):
            continue
        db.session.merge(
            CalendarDay(
                day=day,
                is_working_day=entry.is_working_day,
                name=entry.name,
                shift=entry.shift,
                source=workdays.PACKAGE,
            )
        )
        changed = True
    if changed:
        try:
            db.session.commit()
        except IntegrityError:  # another worker copied the same year first
            db.session.rollback()
    done.update(years)
    return changed
