"""Saving, submitting and reopening a summary, who may do it, and the audit trail."""

from datetime import UTC, date, datetime

import pytest

from app.core import audit
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import parse_period
from app.models import AuditEvent, DepartmentSummary
from app.summaries import service
from app.summaries.service import SummaryDenied, SummaryError

Q3 = parse_period("2024Q3")
DURING = datetime(2024, 9, 10, 2, tzinfo=UTC)  # before the 2024-09-20 deadline
AFTER = datetime(2024, 9, 25, 2, tzinfo=UTC)
LEAD = LEADS[0]
TEXTS = {
    "work_done": "开展检查 120 次。",
    "problems": "部分门店台账不全。",
    "next_steps": "继续督办。",
}


def events(summary):
    return [(e.action, audit.describe(e)) for e in audit.history(summary, oldest_first=True)]


def test_save_keeps_a_draft_then_submit_sends_it_each_step_audited(city):
    summary = service.save(city.admin, LEAD, Q3, {"work_done": " 开展检查。\r\n第二段 "}, DURING)
    db.session.commit()
    assert summary.state == "draft"
    assert summary.work_done == "开展检查。\n第二段"
    assert summary.saved_by_id == city.admin.id and summary.submitted_at is None

    service.submit(city.admin, LEAD, Q3, TEXTS, DURING)
    db.session.commit()
    summary = service.find(LEAD, Q3)
    assert summary.state == "submitted" and summary.submitted_at == DURING
    assert summary.submitted_by_id == city.admin.id and summary.submitted_at is not None
    assert summary.problems == "部分门店台账不全。"
    actions = [a for a, _text in events(summary)]
    assert actions == ["create", "update", "submit"]
    assert f"提交{LEAD} 2024年第3季度工作总结" in events(summary)[-1][1]


def test_saving_the_same_text_again_adds_no_event(city):
    service.save(city.admin, LEAD, Q3, TEXTS, DURING)
    service.save(city.admin, LEAD, Q3, TEXTS, DURING)
    db.session.commit()
    assert len(events(service.find(LEAD, Q3))) == 1


def test_submit_needs_all_three_sections_and_keeps_nothing_when_refused(city):
    with pytest.raises(SummaryError, match="存在问题、下步打算"):
        service.submit(city.admin, LEAD, Q3, {"work_done": "只写了一部分"}, DURING)
    db.session.rollback()
    assert service.find(LEAD, Q3) is None


def test_a_submitted_summary_is_not_changed_until_an_admin_reopens_it(city):
    service.submit(city.admin, LEAD, Q3, TEXTS, DURING)
    db.session.commit()
    with pytest.raises(SummaryError, match="须由管理员退回"):
        service.save(city.admin, LEAD, Q3, {"work_done": "改"}, DURING)
    db.session.rollback()
    summary = service.find(LEAD, Q3)
    with pytest.raises(SummaryError, match="退回原因"):
        service.reopen(city.admin, summary, Q3, "  ")
    service.reopen(city.admin, summary, Q3, "数据需核实")
    db.session.commit()
    assert summary.state == "draft" and summary.submitted_at is None
    assert events(summary)[-1] == (
        "reopen",
        f"退回{LEAD} 2024年第3季度工作总结重新填写：数据需核实",
    )
    service.save(city.admin, LEAD, Q3, dict(TEXTS, work_done="核实后的数据"), DURING)
    service.submit(city.admin, LEAD, Q3, dict(TEXTS, work_done="核实后的数据"), AFTER)
    db.session.commit()
    assert service.find(LEAD, Q3).work_done == "核实后的数据"


def test_reopening_a_draft_or_nothing_is_refused(city):
    with pytest.raises(SummaryError, match="只有已提交"):
        service.reopen(city.admin, None, Q3, "原因")
    draft = service.save(city.admin, LEAD, Q3, TEXTS, DURING)
    with pytest.raises(SummaryError, match="只有已提交"):
        service.reopen(city.admin, draft, Q3, "原因")


def test_admins_write_any_lead_departments_summary_viewers_and_inspectors_none(city):
    """Accounts hold no department: admins write for every lead department (RULE)."""
    for lead in LEADS:
        assert service.may_edit(city.admin, lead)
        assert not service.may_edit(city.viewer, lead)
        assert not service.may_edit(city.inspector, lead)
    assert not service.may_edit(city.admin, "不存在的局")
    assert service.may_reopen(city.admin)
    assert not service.may_reopen(city.viewer)
    with pytest.raises(SummaryDenied):
        service.save(city.viewer, LEAD, Q3, TEXTS, DURING)
    with pytest.raises(SummaryDenied):
        service.submit(city.inspector, LEAD, Q3, TEXTS, DURING)
    service.submit(city.admin, LEAD, Q3, TEXTS, DURING)
    with pytest.raises(SummaryDenied):
        service.reopen(city.viewer, service.find(LEAD, Q3), Q3, "原因")


def test_unknown_lead_and_a_period_not_yet_begun_are_refused(city):
    with pytest.raises(SummaryError, match="没有这个牵头单位"):
        service.save(city.admin, "不存在的局", Q3, TEXTS, DURING)
    with pytest.raises(SummaryError, match="尚未开始"):
        service.save(city.admin, LEAD, parse_period("2024Q4"), TEXTS, DURING)


def test_overview_lists_every_lead_department_with_its_state(city):
    service.submit(city.admin, LEADS[0], Q3, TEXTS, DURING)  # on time
    service.save(city.admin, LEADS[1], Q3, TEXTS, DURING)  # a draft, late after the 20th
    service.submit(city.admin, LEADS[3], Q3, TEXTS, AFTER)
    db.session.commit()
    before = {r.lead: r.status for r in service.overview(Q3, DURING.date())}
    after = {r.lead: r.status for r in service.overview(Q3, AFTER.date())}
    assert list(before) == list(LEADS)
    assert before[LEADS[0]] == "submitted" and after[LEADS[0]] == "submitted"
    assert before[LEADS[1]] == "draft" and after[LEADS[1]] == "late"
    assert before[LEADS[2]] == "not_started" and after[LEADS[2]] == "late"
    assert after[LEADS[3]] == "submitted_late"
    assert {r.deadline for r in service.overview(Q3, AFTER.date())} == {date(2024, 9, 20)}


def test_one_row_per_department_and_period(city):
    service.save(city.admin, LEAD, Q3, TEXTS, DURING)
    service.save(city.admin, LEAD, parse_period("2024"), TEXTS, DURING)
    db.session.commit()
    rows = db.session.scalars(db.select(DepartmentSummary.period_code).order_by("period_code"))
    assert list(rows) == ["2024", "2024Q3"]
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 2
