"""Deadlines and states of a lead department's summary, in local dates around the deadline."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from app.indicators.periods import parse_period
from app.summaries.deadlines import (
    SummaryPeriodError,
    days_left,
    deadline,
    status,
    summary_period,
)


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("2024Q1", date(2024, 3, 20)),
        ("2024Q2", date(2024, 6, 20)),
        ("2024Q3", date(2024, 9, 20)),
        ("2024Q4", date(2024, 12, 20)),
        ("2024", date(2024, 11, 20)),
    ],
)
def test_quarters_are_due_on_the_20th_of_their_last_month_and_the_year_on_20_november(code, due):
    assert deadline(parse_period(code)) == due


def draft():
    return SimpleNamespace(state="draft", submitted_at=None)


def submitted(at_utc: datetime):
    return SimpleNamespace(state="submitted", submitted_at=at_utc)


Q3 = parse_period("2024Q3")  # due 2024-09-20


def test_before_the_deadline_nothing_saved_is_not_started_and_a_saved_one_a_draft():
    assert status(None, Q3, date(2024, 9, 19)) == "not_started"
    assert status(draft(), Q3, date(2024, 9, 19)) == "draft"


def test_the_deadline_day_itself_is_still_on_time():
    assert status(None, Q3, date(2024, 9, 20)) == "not_started"
    assert status(draft(), Q3, date(2024, 9, 20)) == "draft"
    assert days_left(Q3, date(2024, 9, 20)) == 0


def test_the_day_after_the_deadline_anything_unsubmitted_is_late():
    assert status(None, Q3, date(2024, 9, 21)) == "late"
    assert status(draft(), Q3, date(2024, 9, 21)) == "late"
    assert days_left(Q3, date(2024, 9, 21)) == -1


def test_submitted_on_the_deadline_in_local_time_is_on_time_whatever_the_utc_date():
    # 23:30 on 20 September in Asia/Shanghai is 15:30 UTC the same day
    on_time = submitted(datetime(2024, 9, 20, 15, 30, tzinfo=UTC))
    assert status(on_time, Q3, date(2024, 9, 19)) == "submitted"
    assert status(on_time, Q3, date(2024, 12, 1)) == "submitted", "stays on time later on"


def test_submitted_after_local_midnight_of_the_deadline_is_submitted_late():
    # 16:30 UTC on 20 September is 00:30 on 21 September in Asia/Shanghai
    late = submitted(datetime(2024, 9, 20, 16, 30, tzinfo=UTC))
    assert status(late, Q3, date(2024, 9, 21)) == "submitted_late"


def test_the_annual_summary_is_late_after_20_november_not_at_the_years_end():
    year = parse_period("2024")
    assert status(None, year, date(2024, 11, 20)) == "not_started"
    assert status(None, year, date(2024, 11, 21)) == "late"
    assert status(submitted(datetime(2024, 11, 1, 2, tzinfo=UTC)), year, date(2025, 1, 5)) == (
        "submitted"
    )


@pytest.mark.parametrize("code", ["2024-01-01_2024-02-01", "garbage", "2024Q5", "0000Q1", ""])
def test_only_quarters_and_years_have_summaries_with_a_chinese_message(app, code):
    with pytest.raises(SummaryPeriodError, match="工作总结按季度"):
        summary_period(code)
