"""Registration numbering, validity, renewal, amendment, cancellation and reminders."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from app.due import reminders
from app.extensions import db
from app.models import AuditEvent, Registration
from app.registers import registrations as regs

DETAILS = {
    "operator": "王五",
    "id_number": "410000199001011234",
    "contact_phone": "13800000000",
    "address": "千秋路1号",
    "health_certificates": "王五 健康证 2024-001",
    "products": "馒头\n烧饼",
    "process_flow": "和面—发酵—蒸制",
    "safety_pledge": True,
}


@pytest.fixture
def workshop(make_establishment):
    return make_establishment(category="small_workshop", name="老王馒头坊")


def issued(est, on=date(2024, 3, 1), applied=None):
    reg = regs.apply(None, est, applied or on, DETAILS)
    return regs.approve(None, reg, on)


def test_numbers_follow_the_documented_format_per_kind_and_year(make_establishment):
    w1 = issued(make_establishment(category="small_workshop"))
    w2 = issued(make_establishment(category="small_workshop"))
    shop = issued(make_establishment(category="small_shop"))
    stall = issued(make_establishment(category="stall"))
    next_year = issued(make_establishment(category="small_workshop"), on=date(2025, 1, 2))
    assert w1.number == "豫义食坊登字〔2024〕第0001号"
    assert w2.number == "豫义食坊登字〔2024〕第0002号"
    assert shop.number == "豫义食店登字〔2024〕第0001号"
    assert stall.number == "豫义摊点备字〔2024〕第0001号"
    assert next_year.number == "豫义食坊登字〔2025〕第0001号"
    assert (w1.kind, shop.kind, stall.kind) == ("registration", "registration", "filing")


def test_sequence_passes_9999_without_going_back(make_establishment, make_registration):
    est = make_establishment(category="small_shop")
    make_registration(est, number="豫义食店登字〔2024〕第9999号")
    make_registration(est, number="豫义食店登字〔2024〕第10000号", state="superseded")
    assert regs.next_number("small_shop", 2024) == "豫义食店登字〔2024〕第10001号"


def test_a_number_taken_concurrently_is_retried(workshop, make_establishment, monkeypatch):
    first = issued(make_establishment(category="small_workshop"))
    real, calls = regs.next_number, []

    def stale(category, year):
        calls.append(1)
        return first.number if len(calls) == 1 else real(category, year)

    monkeypatch.setattr(regs, "next_number", stale)
    reg = issued(workshop)
    assert reg.number == "豫义食坊登字〔2024〕第0002号"
    assert len(calls) == 2
    db.session.commit()


def test_the_unique_constraint_backs_the_numbers(workshop, make_registration):
    make_registration(workshop, number="X-1")
    make_registration(workshop, number="X-2")
    with pytest.raises(IntegrityError):
        make_registration(workshop, number="X-1")


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2024, 3, 1), date(2027, 2, 28)),
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2023, 3, 1), date(2026, 2, 28)),
        (date(2025, 2, 28), date(2028, 2, 27)),
        (date(2025, 3, 1), date(2028, 2, 29)),
        (date(2024, 1, 1), date(2026, 12, 31)),
    ],
)
def test_validity_ends_the_day_before_the_third_anniversary(start, end):
    assert regs.valid_until_for(start) == end


def test_approval_sets_dates_and_filings_have_no_expiry(workshop, make_establishment):
    reg = issued(workshop, on=date(2024, 2, 29))
    assert (reg.state, reg.issued_on, reg.valid_until) == (
        "issued",
        date(2024, 2, 29),
        date(2027, 2, 28),
    )
    stall = issued(make_establishment(category="stall"))
    assert stall.valid_until is None


def test_filing_validity_is_configurable(app, make_establishment):
    app.config["FANGXIN_FILING_VALID_YEARS"] = 3
    stall = issued(make_establishment(category="stall"), on=date(2024, 5, 6))
    assert stall.valid_until == date(2027, 5, 5)


def test_renewal_in_time_continues_from_the_old_expiry(workshop):
    old = issued(workshop, on=date(2024, 2, 29))
    new = regs.renew(None, old, date(2027, 2, 1))
    assert new.replaces_id == old.id and new.state == "issued"
    assert new.issued_on == date(2027, 2, 1)
    assert new.valid_until == date(2030, 2, 28)
    assert new.number != old.number
    assert (old.state, old.issued_on, old.valid_until) == (
        "superseded",
        date(2024, 2, 29),
        date(2027, 2, 28),
    )
    assert new.details["operator"] == "王五"


def test_late_renewal_runs_three_years_from_its_issue(workshop):
    old = issued(workshop, on=date(2021, 3, 1))
    new = regs.renew(None, old, date(2024, 3, 5))
    assert new.valid_until == date(2027, 3, 4)


def count_at(day):
    return db.session.scalar(
        db.select(db.func.count()).select_from(Registration).where(regs.counts_at(day))
    )


def test_history_still_counts_after_renewal_and_cancellation(workshop):
    old = issued(workshop, on=date(2024, 3, 1))
    new = regs.renew(None, old, date(2027, 2, 1))
    assert count_at(date(2025, 6, 1)) == 1  # the superseded row still counts in its time
    regs.cancel(None, new, date(2028, 1, 10), "歇业")
    assert (new.state, new.cancelled_on) == ("cancelled", date(2028, 1, 10))
    assert count_at(date(2028, 1, 9)) == 1
    assert count_at(date(2028, 1, 10)) == 0
    assert count_at(date(2024, 2, 29)) == 0


def test_amendment_keeps_every_earlier_value(workshop):
    reg = issued(workshop)
    regs.amend(None, reg, {"operator": "王六", "address": "千秋路1号"}, "经营者变更")
    regs.amend(None, reg, {"products": "馒头"}, "减少品种")
    db.session.commit()
    amendments = reg.details["amendments"]
    assert [a["changes"] for a in amendments] == [
        {"operator": ["王五", "王六"]},
        {"products": ["馒头\n烧饼", "馒头"]},
    ]
    assert reg.details["operator"] == "王六"
    assert workshop.operator == "王六"  # the registry follows the card
    events = db.session.scalars(
        db.select(AuditEvent.action).where(
            AuditEvent.entity == "registration", AuditEvent.entity_id == reg.id
        )
    ).all()
    assert events.count("amend") == 2


def test_rules_refuse_what_the_regulation_does_not_allow(workshop, make_establishment):
    with pytest.raises(regs.RegistrationError):
        regs.apply(None, make_establishment(category="rural_shop"), date(2024, 1, 1), DETAILS)
    reg = regs.apply(None, workshop, date(2024, 3, 1), DETAILS)
    with pytest.raises(regs.RegistrationError):
        regs.apply(None, workshop, date(2024, 3, 1), DETAILS)
    with pytest.raises(regs.RegistrationError):
        regs.approve(None, reg, date(2024, 2, 1))
    with pytest.raises(regs.RegistrationError):
        regs.renew(None, reg, date(2024, 3, 1))
    regs.approve(None, reg, date(2024, 3, 2))
    with pytest.raises(regs.RegistrationError):
        regs.cancel(None, reg, date(2024, 3, 1), "早于发证")
    regs.cancel(None, reg, date(2024, 4, 1), "歇业")
    with pytest.raises(regs.RegistrationError):
        regs.amend(None, reg, {"operator": "x"}, "已注销")


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
    make_inspection(workshop, submitted_at=datetime(2024, 4, 9, 15, 30, tzinfo=UTC))
    assert len(reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1))) == 1
    # 2024-04-10 00:30 in Shanghai: the issue day itself counts.
    make_inspection(workshop, submitted_at=datetime(2024, 4, 9, 16, 30, tzinfo=UTC))
    assert reminders.awaiting_first_inspection(city.admin, today=date(2024, 5, 1)) == []


def test_draft_and_superseded_inspections_do_not_count(
    city, workshop, make_registration, make_inspection
):
    make_registration(workshop, issued_on=date(2024, 4, 10))
    make_inspection(workshop, status="draft")
    make_inspection(workshop, submitted_at=datetime(2024, 4, 20, tzinfo=UTC), superseded=True)
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
