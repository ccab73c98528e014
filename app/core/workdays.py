"""The working-day calendar every deadline uses: weekends, public holidays and 调休.

A day is what the admin entered for it (calendar_day rows with source "admin"), else what
the chinese-calendar package says (it follows each State Council announcement), else the
weekend rule (Monday to Friday work). A year neither knows is counted by weekends only and
flagged (unconfigured_years), so the office sees that its deadlines may be off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from flask import g, has_app_context

from app.core.clock import add_months
from app.extensions import db
from app.models import CalendarDay

ADMIN, PACKAGE, WEEKENDS = "admin", "package", "weekend"
# The package names its holidays in English; the calendar keeps the official Chinese names.
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WORKING, MONTHS = "working", "month"  # the two ways a deadline is counted
# 市场监督管理投诉举报处理暂行办法 Art 23: a report's clues are checked within 15 working days.
COMPLAINT_WORKING_DAYS = 15
# The same rules: extendable once by 15 (Art 23), a 投诉 accepted or not within 7 (Art 14),
# a named reporter told the decision within 5 (Art 31).
COMPLAINT_EXTENSION_DAYS = 15
COMPLAINT_ACCEPT_DAYS = 7
COMPLAINT_NOTIFY_DAYS = 5


@dataclass(frozen=True)
class Day:
    """One date as the calendar sees it, and who said so."""

    day: date
    is_working_day: bool
    name: str = ""
    source: str = WEEKENDS

    @property
    def shift(self) -> int:
        """+1 a working weekend day, -1 a weekday off, 0 as the weekend rule says."""
        return int(self.is_working_day) - int(weekend_rule(self.day))


def weekend_rule(day: date) -> bool:
    """Monday to Friday work: the rule for a year no one has configured."""
    return day.weekday() < 5


def days_of(year: int) -> list[date]:
    """Every date of a year."""
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@lru_cache(maxsize=64)
def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the year's announcement."""
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=64)
def package_year(year: int) -> dict[date, Day]:
    """The package's days of a year that differ from the weekend rule or carry a name."""
    if not package_knows(year):
        return {}
    out = {}
    for day in days_of(year):
        off, name = chinese_calendar.get_holiday_detail(day)
        entry = Day(day, not off, PACKAGE_NAMES.get(name, name or ""), PACKAGE)
        if entry.name or entry.shift:
            out[day] = entry
    return out


@dataclass
class Year:
    """One year's special days (package overlaid by the admin's) and whether it is known."""

    year: int
    days: dict[date, Day]
    configured: bool


@dataclass
class Calendar:
    """The calendar loaded a year at a time (one query per year), for one request or command."""

    years: dict[int, Year] = field(default_factory=dict)

    def year(self, year: int) -> Year:
        """A year's special days, loaded on first use."""
        if year not in self.years:
            self.years[year] = load_year(year)
        return self.years[year]

    def day(self, day: date) -> Day:
        """The day as the calendar counts it."""
        return self.year(day.year).days.get(day) or Day(day, weekend_rule(day))


def admin_rows(year: int) -> list[CalendarDay]:
    """The admin's entries of a year, by date."""
    return list(
        db.session.scalars(
            db.select(CalendarDay)
            .where(
                CalendarDay.source == ADMIN,
                CalendarDay.day >= date(year, 1, 1),
                CalendarDay.day < date(year + 1, 1, 1),
            )
            .order_by(CalendarDay.day)
        )
    )


def load_year(year: int) -> Year:
    """The package's days of a year with the admin's entries on top."""
    days = dict(package_year(year))
    rows = admin_rows(year)
    for row in rows:
        days[row.day] = Day(row.day, row.is_working_day, row.name, ADMIN)
    return Year(year, days, package_knows(year) or bool(rows))


def current() -> Calendar:
    """The calendar of this app context (reloaded after forget())."""
    if not has_app_context():
        return Calendar()
    if "fangxin_calendar" not in g:
        g.fangxin_calendar = Calendar()
    return g.fangxin_calendar


def forget() -> None:
    """Drop the loaded calendar, after the admin changed a day."""
    if has_app_context():
        g.pop("fangxin_calendar", None)


def day_info(day: date) -> Day:
    """The day as the calendar counts it: working or not, its holiday name, its source."""
    return current().day(day)


def is_working_day(day: date) -> bool:
    """Whether the office works that day."""
    return current().day(day).is_working_day


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after start (start itself not counted); n < 0 counts back."""
    cal, day, step = current(), start, 1 if n >= 0 else -1
    left = abs(n)
    while left:
        day += timedelta(days=step)
        left -= cal.day(day).is_working_day
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    cal = current()
    return sum(
        cal.day(start + timedelta(days=i)).is_working_day for i in range(1, (end - start).days + 1)
    )


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    cal = current()
    while not cal.day(day).is_working_day:
        day += timedelta(days=1)
    return day


def last_working_day_before(day: date) -> date:
    """The latest working day strictly before a date."""
    return add_working_days(day, -1)


def unconfigured_years(first: date, last: date) -> list[int]:
    """The years from first to last that neither the package nor the admin knows."""
    cal = current()
    return [y for y in range(first.year, last.year + 1) if not cal.year(y).configured]


@dataclass(frozen=True)
class Deadline:
    """A due date and how it was counted: n working days, or n calendar months."""

    start: date
    due: date
    amount: int
    unit: str  # WORKING | MONTHS
    unconfigured: tuple[int, ...] = ()

    def overdue(self, today: date, done_on: date | None = None) -> bool:
        """Late: done after the due date, or not done and the due date has passed."""
        return (done_on or today) > self.due


def working_deadline(start: date, n: int) -> Deadline:
    """The deadline n working days after start (the day it starts not counted)."""
    due = add_working_days(start, n)
    return Deadline(start, due, n, WORKING, tuple(unconfigured_years(start, due)))


def month_deadline(start: date, months: int) -> Deadline:
    """The deadline n calendar months after start (clamped to the month's end)."""
    return Deadline(start, add_months(start, months), months, MONTHS)
