"""The admin's side of the working-day calendar: a year's list, entering and correcting days.

A year the package does not know yet (next year's announcement comes in the autumn) is
entered as lines, one day each: "2027-10-01 休 国庆节" (a day off) or "2027-10-09 班" (a
make-up working day, 调休). Entries win over the package; clearing one gives the day back
to the package (or the weekend rule). Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.core import workdays
from app.extensions import db
from app.models import CalendarDay
from app.models.types import utcnow

NAME_MAX = 32
MAX_LINES = 400
MARKS = {"休": False, "班": True}  # the words of the State Council's notices
# The same marks as an English reader types them.
MARKS_ANY = {**MARKS, "off": False, "work": True}


@dataclass(frozen=True)
class Entry:
    """One line of an import, parsed."""

    day: date
    is_working_day: bool
    name: str


def year_listing(year: int) -> list[workdays.Day]:
    """A year's holidays, 调休 and the admin's entries, by date (plain weekends left out)."""
    return sorted(workdays.load_year(year).days.values(), key=lambda d: d.day)


def parse_line(number: int, line: str, year: int | None) -> tuple[Entry | None, str | None]:
    """One import line: 'YYYY-MM-DD 休|班 [name]'; (entry, None) or (None, message)."""
    parts = line.split(None, 2)
    if len(parts) < 2 or parts[1].lower() not in MARKS_ANY:
        return None, _("第 %(n)d 行：应为“日期 休/班 名称”，例如 2027-10-01 休 国庆节", n=number)
    try:
        day = date.fromisoformat(parts[0])
    except ValueError:
        return None, _("第 %(n)d 行：日期“%(d)s”无效（格式：2027-10-01）", n=number, d=parts[0])
    if year is not None and day.year != year:
        return None, _("第 %(n)d 行：%(d)s 不在 %(y)d 年", n=number, d=parts[0], y=year)
    name = parts[2].strip() if len(parts) > 2 else ""
    if len(name) > NAME_MAX:
        return None, _("第 %(n)d 行：名称不能超过 %(m)d 字", n=number, m=NAME_MAX)
    return Entry(day, MARKS_ANY[parts[1].lower()], name), None


def parse_lines(text: str, year: int | None = None) -> tuple[list[Entry], list[str]]:
    """Every non-blank line parsed; the messages of the bad ones (nothing applied if any)."""
    entries, errors, seen = [], [], {}
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        return [], [_("没有可导入的日期。")]
    if len(lines) > MAX_LINES:
        return [], [_("一次最多导入 %(n)d 行。", n=MAX_LINES)]
    for number, line in lines:
        entry, error = parse_line(number, line, year)
        if error:
            errors.append(error)
        elif entry.day in seen:
            errors.append(
                _("第 %(n)d 行：%(d)s 与第 %(m)d 行重复", n=number, d=entry.day, m=seen[entry.day])
            )
        else:
            seen[entry.day] = number
            entries.append(entry)
    return entries, errors


def set_day(actor, day: date, is_working_day: bool, name: str = "") -> CalendarDay:
    """Enter or correct one day as the admin; wins over the package."""
    row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    row.is_working_day, row.name = is_working_day, name.strip()[:NAME_MAX]
    row.shift = workdays.Day(day, is_working_day).shift
    row.source, row.set_by_id, row.set_at = workdays.ADMIN, getattr(actor, "id", None), utcnow()
    db.session.add(row)
    db.session.flush()
    workdays.forget()
    return row


def clear_day(day: date) -> bool:
    """Take back the admin's entry for a day: the package (or the weekend rule) decides again."""
    row = db.session.get(CalendarDay, day)
    if row is None or row.source != workdays.ADMIN:
        return False
    entry = workdays.package_year(day.year).get(day)
    if entry is None:
        db.session.delete(row)
    else:
        row.is_working_day, row.name, row.shift = entry.is_working_day, entry.name, entry.shift
        row.source, row.set_by_id, row.set_at = workdays.PACKAGE, None, None
    db.session.flush()
    workdays.forget()
    return True


def import_entries(actor, entries: list[Entry]) -> int:
    """Enter every parsed line; returns how many days were set."""
    for entry in entries:
        set_day(actor, entry.day, entry.is_working_day, entry.name)
    return len(entries)


def as_lines(year: int) -> str:
    """A year's special days in the import format (to copy, correct and import back)."""
    return "\n".join(
        f"{d.day.isoformat()} {'班' if d.is_working_day else '休'}{' ' + d.name if d.name else ''}"
        for d in year_listing(year)
    )
