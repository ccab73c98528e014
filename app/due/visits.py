"""Who is due for a visit: minimum visits by risk grade, overdue ledger entries, new cards.

A unit's visit falls due ``ceil(365 / required visits)`` days after its last submitted
inspection (never inspected: due since it entered the registry). Overdue ledger entries and
cards awaiting their first inspection add their own reasons. The list shows every unit with
a reason due within FANGXIN_DUE_HORIZON_DAYS (default 14), most overdue first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Case, case, func
from sqlalchemy.orm import joinedload

from app.checklists import inspected_categories
from app.core.clock import local, local_today
from app.core.scope import area_scope
from app.due.reminders import awaiting_first_inspection
from app.extensions import db
from app.inspections.attempts import attempts_since_last_inspection
from app.inspections.ledger import overdue_clause
from app.inspections.reinspection import REINSPECTION_WORKING_DAYS, open_requests
from app.models import Establishment, Inspection, LedgerEntry, User
from app.plans.visits import open_visits_for, partner_of

DEFAULT_HORIZON_DAYS = 14
# Shown whatever their deadline: someone is waiting for the visit.
ALWAYS_SHOWN = ("first_inspection", "reinspection", "plan_visit", "flying_visit")


def required_visits(category: str, risk_grade: str | None, config) -> int:
    """Minimum inspections a year: by grade, ungraded as configured, priority never below C."""
    visits = config["FANGXIN_MIN_VISITS_PER_YEAR"]
    grade = risk_grade if risk_grade in visits else config["FANGXIN_UNGRADED_AS"]
    n = visits[grade]
    if category in config["FANGXIN_PRIORITY_CATEGORIES"]:
        n = max(n, visits[config["FANGXIN_PRIORITY_MIN_GRADE"]])
    return n


def required_visits_sql(config, est=Establishment) -> Case:
    """required_visits as a SQL CASE over an establishment's category and risk_grade.

    est may be an alias of Establishment (the indicator queries use one).
    """
    visits = config["FANGXIN_MIN_VISITS_PER_YEAR"]
    graded = case(
        *((est.risk_grade == g, n) for g, n in visits.items()),
        else_=visits[config["FANGXIN_UNGRADED_AS"]],
    )
    floor = visits[config["FANGXIN_PRIORITY_MIN_GRADE"]]
    return case(
        (
            est.category.in_(tuple(config["FANGXIN_PRIORITY_CATEGORIES"])),
            case((graded < floor, floor), else_=graded),
        ),
        else_=graded,
    )


def visit_interval(n: int) -> timedelta:
    """The longest gap between visits for n visits a year."""
    return timedelta(days=math.ceil(365 / n))


@dataclass
class Reason:
    """Why a unit is on the list: kind, the day it fell (or falls) due, and details."""

    # ledger_overdue | first_inspection | visit | never_inspected | attempt | reinspection
    # | plan_visit | flying_visit
    kind: str
    due_on: date
    detail: dict = field(default_factory=dict)


@dataclass
class DueUnit:
    """The columns of an establishment the due reasons need, loaded as a tuple."""

    id: int
    name: str
    category: str
    risk_grade: str | None
    created_at: datetime


UNIT_COLUMNS = (
    Establishment.id,
    Establishment.name,
    Establishment.category,
    Establishment.risk_grade,
    Establishment.created_at,
)


@dataclass
class DueRow:
    """A unit on the due list; its full record is loaded only when shown (load_units)."""

    establishment_id: int
    name: str
    reasons: list[Reason]
    unit: Establishment | None = field(default=None, repr=False)

    @property
    def establishment(self) -> Establishment:
        """The establishment record (one lookup, or none after load_units)."""
        if self.unit is None:
            self.unit = db.session.get(Establishment, self.establishment_id)
        return self.unit

    @property
    def due_on(self) -> date:
        """The earliest day any reason fell due."""
        return min(r.due_on for r in self.reasons)

    def days_overdue(self, today: date) -> int:
        """Days past due (negative: due in that many days)."""
        return (today - self.due_on).days


def due_list(
    user: User, config, today: date | None = None, awaiting: list[dict] | None = None
) -> list[DueRow]:
    """The units in the user's area due for a visit, most overdue first, with reasons.

    awaiting: awaiting_first_inspection(user, today) when the caller already has it.
    """
    today = today or local_today()
    horizon = today + timedelta(days=config.get("FANGXIN_DUE_HORIZON_DAYS", DEFAULT_HORIZON_DAYS))
    # The own area only: drawn units elsewhere come in through their plan visits.
    scope = area_scope(user)
    loaded = db.session.execute(
        db.select(*UNIT_COLUMNS, last_submitted()).where(scope, Establishment.active.is_(True))
    ).all()
    ests = [DueUnit(*row[:5]) for row in loaded]
    last = {row[0]: local(row[5]).date() for row in loaded if row[5] is not None}
    reasons = {est.id: [] for est in ests}
    add_ledger_reasons(reasons, scope, today)
    if awaiting is None:
        awaiting = awaiting_first_inspection(user, today)
    for row in awaiting:
        reg = row["registration"]
        if reg.establishment_id in reasons:
            reasons[reg.establishment_id].append(
                Reason("first_inspection", row["deadline"], {"issued_on": reg.issued_on})
            )
    # Routine visits only where a checklist applies: no visit could clear the others.
    visited = inspected_categories()
    for est in ests:
        if est.category in visited:
            reasons[est.id].append(visit_reason(est, last.get(est.id), config))
    add_attempt_reasons(reasons, scope)
    add_reinspection_reasons(reasons, scope)
    units: list = ests + add_plan_visit_reasons(reasons, user)
    rows = []
    for est in units:
        kept = [r for r in reasons[est.id] if r.kind in ALWAYS_SHOWN or r.due_on <= horizon]
        if kept:
            row = DueRow(est.id, est.name, sorted(kept, key=lambda r: r.due_on))
            row.unit = est if isinstance(est, Establishment) else None
            rows.append(row)
    return sorted(rows, key=lambda r: (r.due_on, r.name, r.establishment_id))


def load_units(rows: list[DueRow]) -> list[DueRow]:
    """Load the establishment records of the rows about to be shown, in one query."""
    missing = [r.establishment_id for r in rows if r.unit is None]
    if missing:
        found = db.session.scalars(
            db.select(Establishment)
            .options(joinedload(Establishment.jurisdiction))
            .where(Establishment.id.in_(missing))
        )
        by_id = {est.id: est for est in found}
        for row in rows:
            row.unit = row.unit or by_id.get(row.establishment_id)
    return rows


def visit_reason(est: DueUnit | Establishment, last_on: date | None, config) -> Reason:
    """When the next routine visit falls due."""
    n = required_visits(est.category, est.risk_grade, config)
    if last_on is None:
        return Reason("never_inspected", local(est.created_at).date(), {"per_year": n})
    return Reason("visit", last_on + visit_interval(n), {"per_year": n, "last_on": last_on})


def last_submitted():
    """Each establishment's latest submitted inspection time, correlated to its row.

    One index lookup per unit (ix_inspection_visits) instead of grouping the area's inspections.
    """
    return (
        db.select(func.max(Inspection.submitted_at))
        .where(
            Inspection.establishment_id == Establishment.id,
            Inspection.status == "submitted",
            Inspection.superseded.is_(False),
        )
        .correlate(Establishment)
        .scalar_subquery()
    )


def add_attempt_reasons(reasons: dict, scope) -> None:
    """A visit that could not inspect counts as an attempt: the unit is due again at once."""
    for est_id, (at, why, count) in attempts_since_last_inspection(scope).items():
        if est_id in reasons:
            on = local(at).date()
            reasons[est_id].append(Reason("attempt", on, {"reason": why, "count": count}))


def add_reinspection_reasons(reasons: dict, scope) -> None:
    """A reason per unit whose operator asked for a re-inspection, due on its deadline."""
    for req in open_requests(scope):
        if req.establishment_id in reasons:
            detail = {"days": REINSPECTION_WORKING_DAYS}
            reasons[req.establishment_id].append(Reason("reinspection", req.due_on, detail))


def add_ledger_reasons(reasons: dict, scope, today: date) -> None:
    """A reason per unit with ledger entries past their due date."""
    rows = db.session.execute(
        db.select(
            LedgerEntry.establishment_id, func.min(LedgerEntry.due_date), func.count(LedgerEntry.id)
        )
        .join(Establishment, LedgerEntry.establishment_id == Establishment.id)
        .where(scope, overdue_clause(today))
        .group_by(LedgerEntry.establishment_id)
    )
    for est_id, due_on, count in rows:
        if est_id in reasons:
            reasons[est_id].append(Reason("ledger_overdue", due_on, {"count": count}))


def add_plan_visit_reasons(reasons: dict, user: User) -> list[Establishment]:
    """A reason per drawn visit (双随机, 飞行) with partner and plan; returns units outside the scope.

    With the area recusal the drawn unit is usually outside the inspector's own area.
    """
    added = []
    for visit in open_visits_for(user):
        if visit.establishment_id not in reasons:
            reasons[visit.establishment_id] = []
            added.append(visit.establishment)
        detail = {"plan": visit.plan.name, "partner": partner_of(visit, user).display_name}
        if visit.plan.kind == "flying":  # 飞行检查: the clue's reason, the working-day deadline
            flying = visit.plan.flying
            detail.update(reason=flying.reason, days=flying.working_days)
            reasons[visit.establishment_id].append(Reason("flying_visit", visit.due_on, detail))
            continue
        reasons[visit.establishment_id].append(Reason("plan_visit", visit.due_on, detail))
    return added
