"""The local clock: Asia/Shanghai dates and times, which decide due dates and periods."""

from calendar import monthrange
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def local(value: datetime | None) -> datetime | None:
    """A UTC timestamp in Asia/Shanghai time."""
    return value.astimezone(LOCAL_ZONE) if value else None


def local_today():
    """Today's date in Asia/Shanghai, which decides due dates and periods."""
    return datetime.now(LOCAL_ZONE).date()


def local_date(value: datetime | None) -> date | None:
    """A UTC timestamp's date in Asia/Shanghai, None for none."""
    return local(value).date() if value else None


def local_day_start(day: date) -> datetime:
    """Midnight of a local (Asia/Shanghai) date, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def format_local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC timestamp formatted in Asia/Shanghai time, '' for none."""
    return local(value).strftime(fmt) if value else ""


def add_months(start: date, months: int) -> date:
    """The same day some months later, clamped to the month's last day (12-31 + 2 → 02-28)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))
