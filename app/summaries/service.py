"""Saving, submitting and reopening a lead department's summary, each step audited.

Who may write: the roles of app.core.scope. An admin (scope.ADMIN) writes, submits and
reopens the summary of any lead department; a viewer account (scope.DEPARTMENT_WRITERS)
whose lead department is set (User.lead) writes and submits that department's summary
only; inspectors never. The rule is written out once, in RULE, and shown on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.clock import local_date
from app.core.labels import LEADS_EN
from app.core.scope import ADMIN, DEPARTMENT_WRITERS
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import Period
from app.models.summary import DepartmentSummary
from app.summaries.deadlines import deadline, status
from app.summaries.figures import figures, freeze

# The written sections, in the order of the document: field -> heading.
SECTIONS = {
    "work_done": _l("工作开展情况"),
    "problems": _l("存在问题"),
    "next_steps": _l("下步打算"),
}
FIELDS = (*SECTIONS, "state")
MAX_TEXT = 20000
RULE = _l(
    "管理员可以填写、保存和提交任何牵头单位的总结；账号登记了所属牵头单位的查看者"
    "可以填写、保存和提交本单位的总结；检查员不能填写。"
    "已提交的总结只有管理员可以退回重新填写。其他账号只能阅读和下载。"
)


class SummaryError(ValueError):
    """A step the summary cannot take as it stands; the message is Chinese."""


class SummaryDenied(SummaryError):
    """The user may not take this step (a 403 on the pages)."""


def may_edit(user, lead: str) -> bool:
    """Whether the user may save and submit the lead department's summary: admins any,
    a viewer only that of the lead department on the account."""
    if lead not in LEADS:
        return False
    role = getattr(user, "role", None)
    return role in ADMIN or (role in DEPARTMENT_WRITERS and getattr(user, "lead", None) == lead)


def may_reopen(user) -> bool:
    """Whether the user may send a submitted summary back to draft (admins)."""
    return getattr(user, "role", None) in ADMIN


def check_lead(lead: str) -> str:
    """The lead department as the catalogue names it; SummaryError otherwise."""
    if lead not in LEADS:
        raise SummaryError(_("没有这个牵头单位。"))
    return lead


def find(lead: str, period: Period) -> DepartmentSummary | None:
    """The saved summary of a lead department for a period, if there is one."""
    stmt = db.select(DepartmentSummary).where(
        DepartmentSummary.lead == lead, DepartmentSummary.period_code == period.code
    )
    return db.session.scalar(stmt)


def texts_of(values: dict) -> dict:
    """The three sections as typed, trimmed; SummaryError when one is too long."""
    out = {}
    for name, heading in SECTIONS.items():
        text = (values.get(name) or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_TEXT:
            raise SummaryError(
                _("“%(s)s”不能超过 %(n)d 个字。", s=heading, n=MAX_TEXT),
            )
        out[name] = text
    return out


def message(key: str, summary: DepartmentSummary, period: Period, **extra) -> audit.Message:
    """An audit message naming the department and the period in both languages."""
    with force_locale("zh_CN"):
        zh = period.label
    with force_locale("en"):
        en = period.label
    lead = audit.bilingual(summary.lead, LEADS_EN.get(summary.lead, ""))
    return audit.message(key, lead=lead, period=audit.bilingual(zh, en), **extra)


def save(actor, lead: str, period: Period, values: dict, now: datetime) -> DepartmentSummary:
    """Keep the texts as a draft (a new row the first time); refused once submitted.

    `now` is the aware time of the step (utcnow() on the pages): it is stored, and its local
    date decides whether the period has begun."""
    check_lead(lead)
    if not may_edit(actor, lead):
        raise SummaryDenied(_("您没有权限填写该单位的总结。"))
    if period.start > local_date(now):
        raise SummaryError(_("该统计期尚未开始，不能填写总结。"))
    texts = texts_of(values)
    summary = find(lead, period)
    if summary is None:
        summary = DepartmentSummary(lead=lead, period_code=period.code, state="draft", **texts)
        summary.created_at, summary.saved_at, summary.saved_by_id = now, now, actor.id
        audit.created(actor, summary, FIELDS, message("summary.save", summary, period))
        return summary
    if summary.state == "submitted":
        raise SummaryError(_("总结已提交，须由管理员退回后才能修改。"))
    changes = audit.update(actor, summary, FIELDS, texts, message("summary.save", summary, period))
    if changes:
        summary.saved_at, summary.saved_by_id = now, actor.id
    return summary


def submit(actor, lead: str, period: Period, values: dict, now: datetime) -> DepartmentSummary:
    """Save the texts and send the summary to the office; every section must be written."""
    texts = texts_of(values)
    missing = [str(h) for name, h in SECTIONS.items() if not texts[name]]
    if missing:
        raise SummaryError(_("提交前请填写：%(s)s。", s=_("、").join(missing)))
    summary = save(actor, lead, period, texts, now)
    summary.state, summary.submitted_at, summary.submitted_by_id = "submitted", now, actor.id
    # What the department sends: later views and downloads show these, not today's figures.
    summary.frozen_figures = freeze(figures(period, lead))
    db.session.flush()
    late = status(summary, period, local_date(now)) == "submitted_late"
    due = deadline(period).isoformat()
    changes = {"state": ["draft", "submitted"], "late": late, "deadline": due}
    audit.record(actor, "submit", summary, message("summary.submit", summary, period), changes)
    return summary


def reopen(actor, summary: DepartmentSummary | None, period: Period, reason: str) -> None:
    """Send a submitted summary back to draft (admins), with the reason."""
    if not may_reopen(actor):
        raise SummaryDenied(_("只有管理员可以退回总结。"))
    if summary is None or summary.state != "submitted":
        raise SummaryError(_("只有已提交的总结可以退回。"))
    reason = (reason or "").strip()[:500]
    if not reason:
        raise SummaryError(_("请填写退回原因。"))
    before = summary.submitted_at.isoformat() if summary.submitted_at else None
    summary.state, summary.submitted_at, summary.submitted_by_id = "draft", None, None
    summary.frozen_figures = None  # a draft again: the live figures, frozen anew at submit
    changes = {"state": ["submitted", "draft"], "submitted_at": [before, None]}
    summary_text = message("summary.reopen", summary, period, reason=reason)
    audit.record(actor, "reopen", summary, summary_text, changes)


@dataclass(frozen=True)
class Row:
    """One lead department on the office's overview of a period."""

    lead: str
    summary: DepartmentSummary | None
    status: str
    deadline: date


def overview(period: Period, today: date) -> list[Row]:
    """Every lead department's summary of the period with where it stands."""
    stmt = db.select(DepartmentSummary).where(DepartmentSummary.period_code == period.code)
    saved = {s.lead: s for s in db.session.scalars(stmt)}
    due = deadline(period)
    return [
        Row(lead, saved.get(lead), status(saved.get(lead), period, today), due) for lead in LEADS
    ]
