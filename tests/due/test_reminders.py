"""Reminders: cards about to expire, first inspections due after an issue, by area."""

from datetime import UTC, date, datetime

import pytest

from app.due import reminders


@pytest.mark.parametrize(
    "valid_until, listed",
    [
        (date(2024, 6, 9), False),  # expired yesterday
        (date(2024, 6, 10), True),  # last valid day is today
        (date(2024, 7, 10), True),  # today + 30
        (date(2024, 7, 11), False),  # today + 31
    ],
)
def test_expiring_list_at_its_30_day_boundary(
    city, workshop, make_registration, valid_until, listed
):
    make_registration(workshop, issued_on=date(2021, 7, 11), valid_until=valid_until)
    rows = reminders.expiring(city.admin, today=date(2024, 6, 10))
    assert (len(rows) == 1) is listed


def test_superseded_and_cancelled_cards_are_not_reminded(city, workshop, make_registration):
    make_registration(workshop, valid_until=date(2024, 6, 20), state="superseded")
    make_registration(
        workshop, valid_until=date(2024, 6, 20), state="cancelled", cancelled_on=date(2024, 6, 1)
    )
    assert reminders.expiring(city.admin, today=date(2024, 6, 10)) == []


@pytest.mark.parametrize(
    "issued_on, today, overdue",
    [
        (date(2024, 4, 10), date(2024, 6, 10), False),  # deadline is today
        (date(2024, 4, 9), date(2024, 6, 10), True),  # deadline was yesterday
        (date(2023, 12, 31), date(2024, 2, 29), False),  # month-end clamps to the leap day
        (date(2023, 12, 31), date(2024, 3, 1), True),
    ],
)
def test_first_inspection_deadline_at_its_two_month_boundary(
    city, workshop, make_registration, issued_on, today, overdue
):
    make_registration(workshop, issued_on=issued_on)
    rows = reminders.awaiting_first_inspection(city.admin, today=today)
    assert len(rows) == 1
    assert rows[0]["overdue"] is overdue


def test_an_inspection_since_issue_clears_the_first_inspection_reminder(
    city, workshop, make_registration, make_inspection
):
    make_registration(workshop, issued_on=date(2024, 4, 10))
    # 2024-04-09 23:30 in Shanghai: before the issue day, so it does not count.
    make_inspection(workshop, when=datetime(2024, 4, 9, 15, 30, tzinfo=UTC))
    assert len(reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1))) == 1
    # 2024-04-10 00:30 in Shanghai: the issue day itself counts.
    make_inspection(workshop, when=datetime(2024, 4, 9, 16, 30, tzinfo=UTC))
    assert reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1)) == []


def test_draft_and_superseded_inspections_do_not_count(
    city, workshop, make_registration, make_inspection
):
    make_registration(workshop, issued_on=date(2024, 4, 10))
    make_inspection(workshop, status="draft")
    make_inspection(workshop, when=datetime(2024, 4, 20, tzinfo=UTC), superseded=True)
    assert len(reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1))) == 1


def test_renewals_are_not_awaiting_a_first_inspection(city, workshop, make_registration):
    old = make_registration(workshop, issued_on=date(2021, 4, 1), state="superseded")
    make_registration(workshop, issued_on=date(2024, 4, 1), replaces_id=old.id)
    assert reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1)) == []


def test_reminders_are_scoped_to_the_inspectors_area(city, make_establishment, make_registration):
    north = make_establishment(category="small_shop")
    south = make_establishment(category="small_shop", jurisdiction_id=city.south_c.id)
    for est in (north, south):
        make_registration(est, issued_on=date(2024, 5, 1), valid_until=date(2024, 6, 20))
    today = date(2024, 6, 10)
    for user, expected in (
        (city.inspector, {north.id}),
        (city.other_inspector, {south.id}),
        (city.admin, {north.id, south.id}),
    ):
        rem = reminders.reminders(user, today)
        assert {r.establishment_id for r in rem["expiring"]} == expected
        assert {r["registration"].establishment_id for r in rem["first_inspection"]} == expected
        villages = {v.id for v in rem["uncovered_villages"]}
        assert villages <= {city.north_v.id, city.south_v.id}
    assert {v.id for v in reminders.reminders(city.inspector, today)["uncovered_villages"]} == {
        city.north_v.id
    }
