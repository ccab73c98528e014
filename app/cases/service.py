"""Writing, publishing and withdrawing typical cases, each step audited."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases.privacy import personal_data_problems
from app.core import audit
from app.core.clock import local_date, local_today
from app.extensions import db
from app.models import Complaint, Establishment, Inspection, Jurisdiction, LedgerEntry
from app.models.case import CASE_SOURCES, TypicalCase
from app.models.types import utcnow

TEXT_FIELDS = {
    "title": _l("标题"),
    "found": _l("发现的问题"),
    "handling": _l("处理情况"),
    "penalty": _l("处罚结果"),
    "legal_basis": _l("法律依据"),
}
FIELDS = (
    *TEXT_FIELDS,
    "occurred_on",
    "jurisdiction_id",
    "category",
    "establishment_id",
    "source_kind",
    "source_id",
    "show_operator_name",
)
SOURCES = {"inspection": Inspection, "ledger": LedgerEntry, "complaint": Complaint}
WHEN = {"inspection": "submitted_at", "ledger": "opened_at", "complaint": "created_at"}
LIMITS = {"title": 200}


class CaseError(ValueError):
    """A case that cannot be saved or published as it stands; the message is Chinese."""


def street_office(unit: Jurisdiction | None) -> Jurisdiction | None:
    """The street office (top unit) a jurisdiction belongs to."""
    while unit is not None and unit.parent is not None:
        unit = unit.parent
    return unit


def from_source(kind: str, source_id: int | None) -> dict:
    """The unit, street office, category and date a linked record gives a case."""
    if kind not in CASE_SOURCES:
        raise CaseError(_("案例来源无法识别。"))
    if not kind:
        return {"source_kind": "", "source_id": None}
    found = db.session.get(SOURCES[kind], source_id) if source_id else None
    if found is None:
        raise CaseError(_("找不到编号为 %(n)s 的来源记录。", n=source_id or ""))
    est: Establishment = found.establishment
    when = local_date(getattr(found, WHEN[kind])) or local_today()
    return {
        "source_kind": kind,
        "source_id": found.id,
        "establishment_id": est.id,
        "category": est.category,
        "jurisdiction_id": street_office(est.jurisdiction).id,
        "occurred_on": when,
    }


def checked(values: dict) -> dict:
    """The values with a title and a date, texts trimmed; CaseError otherwise."""
    out = dict(values)
    for name in TEXT_FIELDS:
        out[name] = (out.get(name) or "").strip()[: LIMITS.get(name, 5000)]
    if not out["title"]:
        raise CaseError(_("请填写案例标题。"))
    if not isinstance(out.get("occurred_on"), date):
        raise CaseError(_("请填写有效的案发日期（如 2024-05-20）。"))
    if out["occurred_on"] > local_today():
        raise CaseError(_("案发日期不能晚于今天。"))
    return out


def create_case(actor, values: dict) -> TypicalCase:
    """A new draft case."""
    case = TypicalCase(**checked(values), state="draft")
    audit.created(actor, case, FIELDS, audit.message("case.create", title=case.title))
    return case


def update_case(actor, case: TypicalCase, values: dict) -> dict:
    """Change a case; a published one is checked again before the change is kept."""
    values = checked(values)
    if case.state == "published":
        refuse_personal_data(TypicalCase(**values), db.session.get)
    return audit.update(
        actor, case, FIELDS, values, audit.message("case.update", title=values["title"])
    )


def problems_of(case: TypicalCase, get=None) -> list[str]:
    """Why the case may not be published (Chinese); empty when it may."""
    est = case.establishment
    if est is None and case.establishment_id and get is not None:
        est = get(Establishment, case.establishment_id)
    name = est.name if est is not None and not case.show_operator_name else ""
    texts = {str(label): getattr(case, field) for field, label in TEXT_FIELDS.items()}
    return personal_data_problems(texts, name, case.category)


def refuse_personal_data(case: TypicalCase, get=None) -> None:
    """CaseError listing every problem, when there is any."""
    problems = problems_of(case, get)
    if problems:
        raise CaseError(_("不能发布：") + " ".join(problems))


def publish(actor, case: TypicalCase) -> None:
    """Show the case on the public page, once it holds no personal data."""
    if case.state == "published":
        return
    refuse_personal_data(case)
    before = case.state
    case.state, case.published_at, case.withdrawn_at = "published", utcnow(), None
    changes = {"state": [before, "published"]}
    audit.record(actor, "publish", case, audit.message("case.publish", title=case.title), changes)


def withdraw(actor, case: TypicalCase, reason: str) -> None:
    """Take a published case off the public page, with the reason."""
    reason = (reason or "").strip()[:500]
    if case.state != "published":
        raise CaseError(_("只有已发布的案例可以撤回。"))
    if not reason:
        raise CaseError(_("请填写撤回原因。"))
    case.state, case.withdrawn_at = "withdrawn", utcnow()
    summary = audit.message("case.withdraw", title=case.title, reason=reason)
    audit.record(actor, "withdraw", case, summary, {"state": ["published", "withdrawn"]})


def all_cases() -> list[TypicalCase]:
    """Every case for the office, newest first."""
    stmt = db.select(TypicalCase).order_by(TypicalCase.occurred_on.desc(), TypicalCase.id.desc())
    return list(db.session.scalars(stmt))


def published_cases() -> list[TypicalCase]:
    """The cases on the public page, newest first."""
    stmt = db.select(TypicalCase).where(TypicalCase.state == "published")
    order = (TypicalCase.occurred_on.desc(), TypicalCase.id.desc())
    return list(db.session.scalars(stmt.order_by(*order)))


def published_case(case_id: int) -> TypicalCase | None:
    """A case if it is published now; None for drafts, withdrawn or unknown ids."""
    case = db.session.get(TypicalCase, case_id)
    return case if case is not None and case.state == "published" else None
