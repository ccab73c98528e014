"""The complaint clocks of 市场监督管理投诉举报处理暂行办法 across the 2024 国庆 holiday.

2024: Oct 1–7 off, Sunday Sep 29 and Saturday Oct 12 are 调休 working days.
"""

from datetime import UTC, date, datetime

import pytest

from app.core.clock import LOCAL_ZONE
from app.extensions import db
from app.models import AuditEvent, Complaint
from app.public import complaint_clock as clock
from app.public.complaint_rules import RuleError, decide, extend, record_notice
from app.public.complaints import advance


def local(y, m, d, hh=10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=LOCAL_ZONE).astimezone(UTC)


@pytest.fixture
def received(shop):
    """Factory: a complaint of a kind received at a local date, committed."""

    def make(kind, day: date, **fields):
        row = Complaint(
            establishment_id=shop.id,
            text="t",
            sender_hash="h",
            kind=kind,
            created_at=local(day.year, day.month, day.day),
            **fields,
        )
        db.session.add(row)
        db.session.commit()
        return row

    return make


def step(c, key):
    return next(s for s in clock.steps(c) if s.key == key)


def test_a_complaint_is_accepted_within_7_working_days_over_national_day(received):
    c = received("complaint", date(2024, 9, 27))  # Friday
    # Sep 29 (调休 Sunday), Sep 30, then Oct 8, 9, 10, 11 and the 调休 Saturday Oct 12
    accept = step(c, "accept")
    assert accept.deadline.due == date(2024, 10, 12)
    assert accept.deadline.unit == "working" and accept.deadline.amount == 7
    assert not clock.complaint_late(c, date(2024, 10, 12))
    assert clock.complaint_late(c, date(2024, 10, 13))
    assert clock.stage(c) == "accept"


def test_a_reports_check_takes_15_working_days_and_once_15_more(city, received):
    r = received("report", date(2024, 9, 25))
    assert clock.complaint_deadline(r).due == date(2024, 10, 21)
    assert clock.complaint_late(r, date(2024, 10, 22))
    extend(city.admin, r, "需要抽检，等检验报告")
    db.session.commit()
    assert clock.complaint_deadline(r).due == date(2024, 11, 11)
    assert clock.complaint_deadline(r).amount == 30
    assert not clock.complaint_late(r, date(2024, 10, 22))
    assert clock.complaint_late(r, date(2024, 11, 12))
    with pytest.raises(RuleError, match="只能延长一次"):
        extend(city.admin, r, "再延长")
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "extend"))
    assert len(list(events)) == 1


def test_extension_needs_a_reason_and_an_accepted_complaint(city, received):
    r = received("report", date(2024, 9, 25))
    with pytest.raises(RuleError, match="延长理由"):
        extend(city.admin, r, "  ")
    c = received("complaint", date(2024, 9, 25))
    with pytest.raises(RuleError):
        extend(city.admin, c, "理由")  # not accepted yet: its clock is the 7-day decision


def test_accepted_complaint_is_handled_in_15_working_days_from_the_acceptance(city, received):
    c = received("complaint", date(2024, 9, 27))
    decide(city.admin, c, True)
    c.decided_at = local(2024, 9, 30)
    db.session.commit()
    assert clock.stage(c) == "handle"
    handle = step(c, "handle")
    # Oct 8–12 (5), 14–18 (10), 21–25 (15)
    assert handle.deadline.due == date(2024, 10, 25)
    assert not step(c, "accept").late(date(2024, 12, 1))
    assert clock.next_step(c).key == "handle"


def test_refusal_needs_a_reason_and_ends_the_complaint(city, received):
    c = received("complaint", date(2024, 9, 27))
    with pytest.raises(RuleError, match="不予受理的理由"):
        decide(city.admin, c, False, "")
    decide(city.admin, c, False, "属于合同纠纷，已告知向法院起诉")
    db.session.commit()
    assert c.state == "closed" and clock.stage(c) == "rejected"
    with pytest.raises(RuleError, match="不能重复决定"):
        decide(city.admin, c, True)


def test_a_complaint_cannot_be_closed_before_it_is_accepted(city, received):
    c = received("complaint", date(2024, 9, 27), state="in_progress")
    with pytest.raises(ValueError, match="受理决定"):
        advance(city.admin, c, "已处理")


def test_a_named_reporter_is_told_within_5_working_days(city, received):
    r = received("report", date(2024, 9, 25), reporter_name="王五", phone="13800138000")
    decide(city.admin, r, True)
    r.decided_at = local(2024, 9, 30)
    db.session.commit()
    notify = step(r, "notify")
    assert notify.deadline.due == date(2024, 10, 12)  # Oct 8, 9, 10, 11, 12 (调休)
    assert clock.next_step(r).key == "notify"
    assert clock.complaint_late(r, date(2024, 10, 14))
    with pytest.raises(RuleError, match="告知日期和告知方式"):
        record_notice(city.admin, r, date(2024, 10, 11), "")
    with pytest.raises(RuleError, match="决定之日和今天之间"):
        record_notice(city.admin, r, date(2024, 9, 1), "电话")
    record_notice(city.admin, r, date(2024, 10, 11), "电话")
    db.session.commit()
    assert step(r, "notify").done_on == date(2024, 10, 11)
    assert not clock.complaint_late(r, date(2024, 12, 1))
    assert clock.next_step(r) is None


def test_an_anonymous_report_has_no_notice_step(city, received):
    r = received("report", date(2024, 9, 25), phone="13800138000")  # a number, no name
    decide(city.admin, r, True)
    db.session.commit()
    assert [s.key for s in clock.steps(r)] == ["check"]
