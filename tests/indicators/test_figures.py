"""Each indicator on a hand-built dataset whose numerator and denominator are known (2024Q3)."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.drill import drill_query
from app.indicators.rollup import Figure, make_scope, rollup
from app.models import Complaint, Coordinator, LedgerEntry, Registration
from tests.factories import make_jurisdiction
from tests.indicators.conftest import local

Q3 = parse_period("2024Q3")


def figures(code, jurisdiction=None, now=None):
    return rollup(get_indicator(code), make_scope(Q3, jurisdiction, now=now))


def by_top(city, result):
    return {
        "north": result.get(city.north.id, Figure()),
        "south": result.get(city.south.id, Figure()),
        "all": result[None],
    }


INSPECTED = [
    ("five_goods", "rural_shop", "five_goods", {"five_goods_met": True}, {"five_goods_met": False}),
    (
        "key_bright_kitchen",
        "restaurant_large",
        "catering",
        {"bright_kitchen_live": True},
        {"bright_kitchen_live": False},
    ),
    (
        "school_bright_kitchen",
        "school_canteen",
        "school_canteen",
        {"bright_kitchen_live": True},
        {"bright_kitchen_live": None},
    ),
    (
        "school_yushi_app",
        "school_canteen",
        "school_canteen",
        {"yushi_app_in_use": True},
        {"yushi_app_in_use": False},
    ),
    ("market_risk_grading", "farm_market", "market", {"grade": "B"}, {"grade": None}),
]


@pytest.mark.parametrize(("code", "category", "programme", "good", "bad"), INSPECTED)
def test_latest_inspection_indicators(
    city, at, make_inspection, code, category, programme, good, bad
):
    def shop(**kw):
        return at(category=category, **kw)

    a = shop()  # good in the quarter: counted
    make_inspection(a, programme, local(2024, 8, 1), **good)
    b = shop()  # good, then a bad re-inspection: the latest wins
    make_inspection(b, programme, local(2024, 1, 10), **good)
    make_inspection(b, programme, local(2024, 8, 2), **bad)
    c = shop()  # bad, then good one minute before the quarter ends: counted
    make_inspection(c, programme, local(2024, 1, 10), **bad)
    make_inspection(c, programme, local(2024, 9, 30, 23, 59), **good)
    d = shop()  # good only at 00:00 on 1 October: after the period, gap
    make_inspection(d, programme, local(2024, 10, 1, 0, 0), **good)
    e = shop()  # good 13 months before the end: outside the window, gap
    make_inspection(e, programme, local(2023, 8, 30), **good)
    f = shop(closed=local(2024, 8, 15))  # closed in the period: drops out
    make_inspection(f, programme, local(2024, 8, 1), **good)
    shop(created=local(2024, 10, 5))  # registered after the period: not counted
    g = shop(closed=local(2024, 11, 1))  # closed after the period: still in
    make_inspection(g, programme, local(2023, 10, 1, 0, 0), **good)  # first minute of the window
    h = shop()  # amended: the superseded good row is ignored, the amendment is bad
    make_inspection(h, programme, local(2024, 8, 10), superseded=True, **good)
    make_inspection(h, programme, local(2024, 8, 10), **bad)
    k = shop()  # a draft does not count
    make_inspection(k, programme, local(2024, 8, 10), status="draft", **good)
    other = shop(jurisdiction_id=city.south_c.id)  # another street office
    make_inspection(other, programme, local(2024, 7, 1, 0, 0), **good)
    make_inspection(a, "five_goods" if programme != "five_goods" else "market", local(2024, 9, 1))

    got = by_top(city, figures(code))
    assert got["north"] == Figure(3, 8)  # a, c, g of a b c d e g h k
    assert got["south"] == Figure(1, 1)
    assert got["all"] == Figure(4, 9)
    assert figures(code, "DQ")[None] == Figure(1, 1)
    assert figures(code, "XQ-01")[None] == Figure(3, 8)


def test_market_counts_a_recorded_assessment(city, at):
    at(category="farm_market", risk_grade="C", risk_assessed_on=date(2023, 10, 1))
    at(category="farm_market", risk_grade="C", risk_assessed_on=date(2023, 9, 30))
    at(category="farm_market", risk_grade="C", risk_assessed_on=date(2024, 10, 1))
    assert figures("market_risk_grading")[None] == Figure(1, 3)


def test_staff_trained_is_weighted_by_staff(city, at, make_inspection):
    a = at(category="restaurant_small")
    make_inspection(a, "catering", local(2024, 1, 1), staff_count=4, staff_trained=4)
    make_inspection(a, "catering", local(2024, 8, 1), staff_count=10, staff_trained=7)  # replaces
    b = at(category="central_kitchen")
    make_inspection(b, "catering", local(2024, 9, 1), staff_count=5, staff_trained=9)  # capped at 5
    c = at(category="online_caterer")  # inspected 13 months ago: no staff known, in the gap
    make_inspection(c, "catering", local(2023, 8, 1), staff_count=6, staff_trained=6)
    d = at(category="restaurant_large", closed=local(2024, 9, 1))
    make_inspection(d, "catering", local(2024, 8, 1), staff_count=50, staff_trained=0)
    e = at(category="group_meal", jurisdiction_id=city.south_c.id)
    make_inspection(e, "catering", local(2024, 8, 1), staff_count=3, staff_trained=1)
    at(category="rural_shop")  # not a caterer
    got = by_top(city, figures("catering_staff_trained"))
    assert got["north"] == Figure(12, 15)
    assert got["south"] == Figure(1, 3)
    gap = db.session.execute(
        drill_query(get_indicator("catering_staff_trained"), make_scope(Q3), "gap")
    ).all()
    assert {row.est_id for row in gap} == {a.id, c.id, e.id}


def test_surveillance_sites(city, at):
    at(category="health_centre", surveillance_site=True)
    at(category="health_centre", surveillance_site=False)
    at(category="health_centre", surveillance_site=True, closed=local(2024, 9, 1))
    at(category="health_centre", surveillance_site=True, created=local(2024, 10, 1, 0, 0))
    at(category="health_centre", surveillance_site=True, created=local(2024, 9, 30, 23, 59))
    at(category="health_centre", surveillance_site=True, jurisdiction_id=city.south_c.id)
    got = by_top(city, figures("surveillance_sites"))
    assert got["north"] == Figure(2, 3)
    assert got["south"] == Figure(1, 1)


def registration(est, issued, until=None, cancelled=None):
    db.session.add(
        Registration(
            establishment_id=est.id,
            kind="registration",
            state="issued",
            applied_on=issued or date(2020, 1, 1),
            issued_on=issued,
            valid_until=until,
            cancelled_on=cancelled,
        )
    )
    db.session.commit()


def test_three_small_registered_on_the_last_day(city, at):
    registration(at(category="small_workshop"), date(2022, 1, 1), date(2025, 1, 1))
    registration(at(category="small_shop"), date(2021, 1, 1), date(2024, 9, 30))  # valid through
    registration(at(category="stall"), date(2021, 1, 1), date(2024, 9, 29))  # expired
    registration(at(category="stall"), date(2024, 10, 1))  # issued after the period
    registration(at(category="stall"), None)  # applied, never issued
    registration(at(category="stall"), date(2022, 1, 1), None, date(2024, 9, 30))  # cancelled
    registration(at(category="stall"), date(2022, 1, 1), None, date(2024, 10, 1))  # cancelled later
    at(category="small_shop")  # never registered
    closed = at(category="small_shop", closed=local(2024, 9, 1))
    registration(closed, date(2022, 1, 1))
    registration(at(category="stall", jurisdiction_id=city.south_c.id), date(2022, 1, 1))
    got = by_top(city, figures("three_small_registered"))
    assert got["north"] == Figure(3, 8)
    assert got["south"] == Figure(1, 1)


def test_village_coordinators(city):
    extra = make_jurisdiction("XQ-03", "李村", "village", city.north)
    make_jurisdiction("XQ-04", "阳光社区", "community", city.north)  # not a village
    for village, start, end in [
        (city.north_v, date(2024, 9, 30), None),  # starts on the last day: covered
        (extra, date(2023, 1, 1), date(2024, 9, 29)),  # left before the last day
        (city.south_v, date(2023, 1, 1), date(2024, 9, 30)),  # leaves on the last day: covered
    ]:
        db.session.add(
            Coordinator(name="协管员", village_id=village.id, start_on=start, end_on=end)
        )
    db.session.commit()
    got = by_top(city, figures("village_coordinators"))
    assert got["north"] == Figure(1, 2)
    assert got["south"] == Figure(1, 1)
    assert figures("village_coordinators", "XQ-03")[None] == Figure(0, 1)


def test_visit_frequency_by_risk_grade(city, at, make_inspection):
    def visited(est, times, start=None):
        start = start or local(2024, 1, 5)
        for i in range(times):
            make_inspection(est, "catering", start + timedelta(days=20 * i))

    visited(at(category="restaurant_small", risk_grade="A"), 1)  # needs 1: met
    visited(at(category="restaurant_small"), 1)  # ungraded counts as B, needs 2
    visited(at(category="central_kitchen", risk_grade="A"), 2)  # priority: at least C's 3
    visited(at(category="central_kitchen", risk_grade="A"), 3)  # met
    visited(at(category="restaurant_small", risk_grade="D"), 4)  # met
    old = at(category="restaurant_small", risk_grade="A")
    visited(old, 3, start=local(2023, 8, 1))  # 13 months ago and earlier: not counted
    at(category="health_centre")  # never visited: in the gap (its checklist since #14)
    at(category="rural_shop", risk_grade="A", closed=local(2024, 8, 1))
    visited(at(category="stall", risk_grade="A", jurisdiction_id=city.south_c.id), 1)
    got = by_top(city, figures("visit_frequency"))
    assert got["north"] == Figure(3, 7)
    assert got["south"] == Figure(1, 1)


def action(est, inspection, due, verified=None, state="open"):
    row = LedgerEntry(
        establishment_id=est.id,
        inspection_id=inspection.id,
        item_id="x",
        handling="deadline",
        due_date=due,
        verified_at=verified,
        state=state,
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_ledger_closed_by_due_date(city, at, make_inspection):
    est = at()
    ins = make_inspection(est, "five_goods", local(2024, 6, 1))
    action(est, ins, date(2024, 7, 1), local(2024, 7, 1, 23, 59), "verified")  # last minute: met
    action(est, ins, date(2024, 8, 1), local(2024, 8, 2, 0, 1), "verified")  # one minute late
    action(est, ins, date(2024, 9, 30), None, "rectified")  # rectified, not verified
    action(est, ins, date(2024, 9, 1), None, "escalated")
    action(est, ins, date(2024, 6, 30), local(2024, 6, 1), "verified")  # due before the period
    action(est, ins, date(2024, 10, 1), local(2024, 9, 1), "verified")  # due after it
    action(est, ins, None, None, "verified")  # corrected on the spot: no due date
    south = at(jurisdiction_id=city.south_c.id)
    action(
        south,
        make_inspection(south, "five_goods", local(2024, 6, 1)),
        date(2024, 9, 1),
        local(2024, 8, 1),
        "verified",
    )
    got = by_top(city, figures("ledger_on_time"))
    assert got["north"] == Figure(1, 4)
    assert got["south"] == Figure(1, 1)


def complaint(est, created, closed=None):
    row = Complaint(
        establishment_id=est.id,
        text="t",
        sender_hash="h",
        created_at=created,
        closed_at=closed,
        state="closed" if closed else "open",
    )
    db.session.add(row)
    db.session.commit()


def test_complaints_closed_within_15_working_days(city, at):
    est = at()
    # 2024-07-01 (Mon) + 15 working days = 07-22; no holiday in July
    complaint(est, local(2024, 7, 1, 0, 0), local(2024, 7, 22, 23, 59))  # on the 15th: met
    complaint(est, local(2024, 7, 1), local(2024, 7, 23, 9, 0))  # the day after: missed
    complaint(est, local(2024, 8, 1))  # still open, long overdue
    complaint(est, local(2024, 6, 30, 23, 59), local(2024, 7, 2))  # before the period
    # received 09-25: the clock runs over 国庆 and its 调休 (9-29 Sun, 10-12 Sat) to 10-21
    complaint(est, local(2024, 9, 25))  # open "now" (09-30): pending, not counted
    complaint(at(jurisdiction_id=city.south_c.id), local(2024, 9, 1), local(2024, 9, 3))
    got = by_top(city, figures("complaints_15_days", now=local(2024, 9, 30)))
    assert got["north"] == Figure(1, 3)
    assert got["south"] == Figure(1, 1)
    later = by_top(city, figures("complaints_15_days", now=local(2024, 10, 21, 23, 0)))
    assert later["north"] == Figure(1, 3)  # 10-21 is its last day: still pending
    later = by_top(city, figures("complaints_15_days", now=local(2024, 10, 22, 8, 0)))
    assert later["north"] == Figure(1, 4)


def test_a_complaint_closed_on_the_last_working_day_after_national_day(city, at):
    est = at()
    complaint(est, local(2024, 9, 25), local(2024, 10, 21, 18, 0))  # calendar day 26: met
    complaint(est, local(2024, 9, 26), local(2024, 10, 23, 9, 0))  # its 15th is 10-22: missed
    got = by_top(city, figures("complaints_15_days", now=local(2024, 12, 1)))
    assert got["north"] == Figure(1, 2)
