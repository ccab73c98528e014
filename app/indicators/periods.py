"""Reporting periods (quarters, years, date ranges) decided in Asia/Shanghai local dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _

from app.core.clock import LOCAL_ZONE

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:_|\.\.)(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period code that cannot be read."""


# Years a report can be about: wide of the campaign (2022–2024), far inside date's range,
# so 0000Q1 or 9999Q4 are refused with a message instead of failing in date() or SQL.
MIN_YEAR, MAX_YEAR = 1990, 2100


def check_year(year: int) -> int:
    """The year, or PeriodError when it is outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("统计期的年份须在 %(a)d 至 %(b)d 之间。", a=MIN_YEAR, b=MAX_YEAR))
    return year


def local_midnight_utc(day: date) -> datetime:
    """00:00 Asia/Shanghai on that day, as an aware UTC time."""
    return datetime.combine(day, time(), LOCAL_ZONE).astimezone(UTC)


def months_back(day: date, months: int) -> date:
    """The same day of the month `months` earlier (clamped to the month's end)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Period:
    """[start, end) in local dates; `code` is 2024Q3, 2024 or 2024-01-01_2024-02-15."""

    kind: str
    code: str
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        """The last local date inside the period (registers are read on this date)."""
        return self.end - timedelta(days=1)

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        return local_midnight_utc(self.end)

    @property
    def window_start(self) -> date:
        """The start of the 12 months up to the period's end (latest-inspection window)."""
        return months_back(self.end, 12)

    @property
    def window_start_utc(self) -> datetime:
        return local_midnight_utc(self.window_start)

    @property
    def label(self) -> str:
        """The period in words, e.g. 2024年第3季度."""
        if self.kind == "quarter":
            return _("%(y)d年第%(q)d季度", y=self.start.year, q=(self.start.month - 1) // 3 + 1)
        if self.kind == "year":
            return _("%(y)d年", y=self.start.year)
        return _("%(a)s 至 %(b)s", a=self.start.isoformat(), b=self.last_day.isoformat())

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "quarter":
            return quarter_of(self.start - timedelta(days=1))
        if self.kind == "year":
            return make_year(self.start.year - 1)
        length = self.end - self.start
        return date_range(self.start - length, self.start - timedelta(days=1))


def quarter_of(day: date) -> Period:
    """The quarter holding a local date."""
    return make_quarter(day.year, (day.month - 1) // 3 + 1)


def date_range(first: date, last: date) -> Period:
    """A range of local dates, both ends included."""
    if last < first:
        raise PeriodError("end before start")
    code = f"{first.isoformat()}_{last.isoformat()}"
    return Period("range", code, first, last + timedelta(days=1))


def requested_range(first: date, last: date) -> Period:
    """A range asked for by a user: both years within MIN_YEAR..MAX_YEAR (PeriodError)."""
    check_year(first.year), check_year(last.year)
    return date_range(first, last)


def parse_period(code: str) -> Period:
    """Read 2024Q3, 2024 or 2024-01-01_2024-03-31 (also with '..'); PeriodError otherwise.

    Years outside MIN_YEAR..MAX_YEAR are refused; previous() may still step below them.
    """
    code = (code or "").strip().upper()
    if m := QUARTER.match(code):
        return make_quarter(check_year(int(m[1])), int(m[2]))
    if m := YEAR.match(code):
        return make_year(check_year(int(m[1])))
    if m := RANGE.match(code):
        try:
            return requested_range(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except PeriodError:
            raise
        except ValueError as exc:
            raise PeriodError(str(exc)) from exc
    raise PeriodError(f"unknown period {code!r}")


def make_quarter(y: int, q: int) -> Period:
    """Quarter q (1–4) of year y."""
    start = date(y, 3 * q - 2, 1)
    end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
    return Period("quarter", f"{y:04d}Q{q}", start, end)


def make_year(y: int) -> Period:
    """The calendar year y."""
    return Period("year", f"{y:04d}", date(y, 1, 1), date(y + 1, 1, 1))


def last_quarters(period: Period, n: int = 4) -> list[Period]:
    """The n quarters ending with the one holding the period's last day, oldest first."""
    out = [quarter_of(period.last_day)]
    while len(out) < n:
        out.insert(0, out[0].previous())
    return out


def report_deadlines(year: int) -> list[tuple[date, Period]]:
    """The plan's deadlines in a year: quarterly by the 20th of the quarter's last month,
    the annual summary by 20 November."""
    out = [(date(year, 3 * q, 20), parse_period(f"{year}Q{q}")) for q in (1, 2, 3, 4)]
    out.append((date(year, 11, 20), parse_period(str(year))))
    return sorted(out, key=lambda pair: (pair[0], pair[1].kind))


def next_deadline(today: date) -> tuple[date, Period]:
    """The first report deadline on or after today."""
    for when, period in report_deadlines(today.year) + report_deadlines(today.year + 1):
        if when >= today:
            return when, period
    raise AssertionError("unreachable")
