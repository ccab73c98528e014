"""The working-day calendar: the package's holidays and 调休, the admin's entries, unknown years."""

from datetime import date

import pytest

from app.core import workdays, workdays_admin
from app.core.workdays import (
    add_working_days,
    is_working_day,
    month_deadline,
    next_working_day,
    unconfigured_years,
    working_days_between,
    working_deadline,
)
from app.extensions import db
from app.models import CalendarDay

UNKNOWN = max(y for y in range(2020, 2100) if workdays.package_knows(y)) + 1


def test_national_day_2024_and_its_make_up_days(app):
    assert all(not is_working_day(date(2024, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2024, 9, 29))  # a Sunday, worked (调休)
    assert is_working_day(date(2024, 10, 12))  # a Saturday, worked (调休)
    assert not is_working_day(date(2024, 10, 13))
    assert workdays.day_info(date(2024, 10, 1)).name == "国庆节"
    assert workdays.day_info(date(2024, 9, 29)).name == "国庆节"


def test_twenty_working_days_across_national_day(app):
    # 9-29 (Sun), 9-30 = 2; 10-8..11 = 6; 10-12 (Sat) = 7; 10-14..18 = 12; 10-21..25 = 17; 10-28..30
    assert add_working_days(date(2024, 9, 27), 20) == date(2024, 10, 30)
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 30)) == 20
    assert working_days_between(date(2024, 10, 30), date(2024, 9, 27)) == -20
    assert add_working_days(date(2024, 10, 30), -20) == date(2024, 9, 27)
    assert add_working_days(date(2024, 9, 27), 0) == date(2024, 9, 27)
    assert next_working_day(date(2024, 10, 3)) == date(2024, 10, 8)


def test_an_admin_entry_beats_the_package(app, city):
    workdays_admin.set_day(city.admin, date(2024, 10, 8), False, "临时调整")
    db.session.commit()
    assert not is_working_day(date(2024, 10, 8))
    assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 9)
    assert workdays.day_info(date(2024, 10, 8)).source == workdays.ADMIN
    assert workdays_admin.clear_day(date(2024, 10, 8))
    db.session.commit()
    assert is_working_day(date(2024, 10, 8))
    assert workdays_admin.clear_day(date(2024, 10, 8)) is False


def test_an_unknown_year_counts_weekends_and_is_flagged(app, city):
    first = date(UNKNOWN, 1, 1)
    assert unconfigured_years(date(UNKNOWN - 1, 12, 1), first) == [UNKNOWN]
    assert not is_working_day(date(UNKNOWN, 1, 3)) or date(UNKNOWN, 1, 3).weekday() < 5
    deadline = working_deadline(date(UNKNOWN - 1, 12, 24), 15)
    assert deadline.unconfigured == (UNKNOWN,)
    entries, errors = workdays_admin.parse_lines(f"{UNKNOWN}-01-01 休 元旦\n", UNKNOWN)
    assert errors == []
    workdays_admin.import_entries(city.admin, entries)
    db.session.commit()
    assert unconfigured_years(first, first) == []
    assert not is_working_day(first)


def test_import_lines_are_checked_and_nothing_applied_on_an_error(app):
    text = "2027-10-01 休 国庆节\n\n2027-10-09 班\n2027-13-01 休\n2027-10-01 班\n2026-05-01 休\nxx"
    entries, errors = workdays_admin.parse_lines(text, 2027)
    assert [e.day for e in entries] == [date(2027, 10, 1), date(2027, 10, 9)]
    assert entries[1].is_working_day and entries[1].name == ""
    assert len(errors) == 4
    assert "第 4 行" in errors[0] and "第 5 行" in errors[1] and "2026-05-01" in errors[2]
    assert workdays_admin.parse_lines("  \n", 2027) == ([], ["没有可导入的日期。"])


def test_import_lines_take_the_english_marks_too(app):
    entries, errors = workdays_admin.parse_lines(
        "2027-10-01 Off National Day\n2027-10-09 work", 2027
    )
    assert errors == []
    assert [(e.is_working_day, e.name) for e in entries] == [(False, "National Day"), (True, "")]


def test_the_year_listing_round_trips_as_lines(app):
    lines = workdays_admin.as_lines(2024)
    assert "2024-10-01 休 国庆节" in lines and "2024-10-12 班 国庆节" in lines
    entries, errors = workdays_admin.parse_lines(lines, 2024)
    assert errors == [] and len(entries) == len(workdays_admin.year_listing(2024))


def test_month_deadlines_stay_calendar_months(app):
    deadline = month_deadline(date(2024, 8, 1), 2)
    assert deadline.due == date(2024, 10, 1)  # a holiday, and still the day: months are months
    assert deadline.unit == workdays.MONTHS


@pytest.mark.parametrize(
    ("start", "done", "n"),
    [
        (date(2024, 9, 27), date(2024, 10, 30), 20),
        (date(2024, 9, 27), date(2024, 10, 31), 20),
        (date(2024, 9, 30), date(2024, 10, 8), 1),
        (date(2024, 9, 30), date(2024, 10, 9), 1),
        (date(2024, 10, 3), date(2024, 10, 3), 1),
        (date(2024, 12, 20), date(2025, 1, 13), 15),
        (date(2024, 12, 20), date(2025, 1, 10), 15),
    ],
)
def test_sql_agrees_with_the_python_count(app, start, done, n):
    from sqlalchemy import Date, literal, select

    from app.core.workdays_sql import sync_years, within_working_days

    sync_years(start, done)
    assert db.session.scalar(select(CalendarDay.day).limit(1)) is not None
    expr = within_working_days(literal(start, Date), literal(done, Date), n)
    assert bool(db.session.scalar(select(expr))) == (done <= add_working_days(start, n))


def test_the_complaint_clock_runs_15_working_days_across_a_holiday(app):
    from datetime import UTC, datetime

    from app.models import Complaint
    from app.public.complaint_clock import complaint_deadline, complaint_late

    def received(y, m, d, hh=10):  # a local wall-clock time, stored in UTC
        return datetime(y, m, d, hh - 8, tzinfo=UTC)

    found = Complaint(created_at=received(2024, 9, 26), state="open")
    deadline = complaint_deadline(found)
    # 9-27, 9-29 (Sun, 调休), 9-30, 10-8..11, 10-12 (Sat, 调休), 10-14..18, 10-21, 10-22
    assert deadline.due == date(2024, 10, 22) and deadline.unit == workdays.WORKING
    assert not complaint_late(found, date(2024, 10, 22))
    assert complaint_late(found, date(2024, 10, 23))  # calendar day 27, but 16 working days
    found.closed_at = received(2024, 10, 22, 17)
    assert not complaint_late(found, date(2024, 12, 1))
    found.closed_at = received(2024, 10, 23, 9)
    assert complaint_late(found, date(2024, 12, 1))
    # received late in the evening local time: the clock starts from the local date
    assert complaint_deadline(Complaint(created_at=received(2024, 9, 26, 23))).due == deadline.due


def test_a_ledger_due_date_on_a_holiday_moves_to_the_next_working_day(app, city, shop):
    from app.inspections import ledger
    from app.models import LedgerEntry
    from tests.factories import make_inspection

    ins = make_inspection(city, shop, "five_goods")
    entry = LedgerEntry(
        establishment_id=shop.id, inspection_id=ins.id, item_id="x", handling="deadline",
        due_date=date(2024, 10, 3), state="open",
    )  # fmt: skip
    db.session.add(entry)
    db.session.commit()
    assert ledger.effective_due(entry) == date(2024, 10, 8)
    assert not ledger.is_overdue(entry, date(2024, 10, 8))
    assert ledger.is_overdue(entry, date(2024, 10, 9))

    def overdue_in_sql(today):
        stmt = db.select(LedgerEntry.id).where(ledger.overdue_clause(today))
        return db.session.scalars(stmt).all() == [entry.id]

    assert [overdue_in_sql(date(2024, 10, d)) for d in (4, 8, 9)] == [False, False, True]
    entry.due_date = date(2024, 9, 30)  # a Monday: due that day, late the next
    assert ledger.is_overdue(entry, date(2024, 10, 1)) and overdue_in_sql(date(2024, 10, 1))
