"""Registration numbering, validity, renewal, amendment and cancellation (reminders: tests/due)."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

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
