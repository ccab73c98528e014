"""The publication clock: 20 working days, across 国庆 2026 and its 调休 Saturday."""

from datetime import UTC, date, datetime

import pytest

from app.publication import clock, review

# 2026-09-29 (Tue) 10:00 in Shanghai. Working days after it: 9-30, then 10-01…10-07 off,
# 10-08, 10-09, the 调休 Saturday 10-10, … the 20th is Monday 11-02.
RESULT_AT = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
TWENTIETH, TWENTY_FIRST = date(2026, 11, 2), date(2026, 11, 3)


@pytest.fixture
def plan_result(shop, make_inspection):
    return make_inspection(shop, "five_goods", RESULT_AT, inspection_type="random")


def test_deadline_counts_working_days_across_national_day(plan_result):
    deadline = clock.deadline_of(plan_result)
    assert deadline.due == TWENTIETH
    assert deadline.unit == "working" and deadline.amount == 20


def test_listed_on_the_20th_day_late_on_the_21st(plan_result):
    (on_time,) = clock.due_to_publish(today=TWENTIETH)
    assert on_time.inspection.id == plan_result.id and not on_time.late
    (late,) = clock.due_to_publish(today=TWENTY_FIRST)
    assert late.late


def test_routine_results_have_no_publication_clock(shop, make_inspection):
    make_inspection(shop, "five_goods", RESULT_AT)
    assert clock.due_to_publish(today=TWENTY_FIRST) == []


def test_approved_result_leaves_the_list(city, plan_result):
    review.approve(city.admin, plan_result)
    assert clock.due_to_publish(today=TWENTY_FIRST) == []


def test_office_page_shows_deadline_and_late(client, login, city, plan_result, monkeypatch):
    from app.publication import clock as clock_module

    monkeypatch.setattr(clock_module, "local_today", lambda: TWENTY_FIRST)
    login(city.viewer)
    html = client.get("/office/publication").get_data(as_text=True)
    assert "公示期限 2026-11-02" in html and "超期未公示" in html
