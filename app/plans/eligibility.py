"""What a draw starts from, frozen as plain data: eligible units, inspectors and recusals.

Credit record (信用记录): the app keeps no credit register, so a unit counts as having a bad
record when its latest live submitted inspection found it 不符合 (noncompliant). Its weight is
the plan's risk-grade weight times the plan's bad_record_factor.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from sqlalchemy import func

from app.core.scope import FIELD, covered_jurisdiction_ids
from app.extensions import db
from app.models import Establishment, Inspection, InspectionPlan, InspectorConflict, PlanVisit

UNGRADED = ""  # the risk_weights key for a unit not yet graded


def plan_area_ids(plan: InspectionPlan) -> set[int]:
    """The plan's street offices and every unit below them."""
    return covered_jurisdiction_ids(SimpleNamespace(jurisdictions=plan.jurisdictions))


def bad_record_ids(est_ids: list[int]) -> set[int]:
    """Units whose latest live submitted inspection was noncompliant."""
    latest = (
        db.select(Inspection.establishment_id, func.max(Inspection.submitted_at).label("at"))
        .where(Inspection.status == "submitted", Inspection.superseded.is_(False))
        .where(Inspection.establishment_id.in_(est_ids))
        .group_by(Inspection.establishment_id)
        .subquery()
    )
    rows = db.session.scalars(
        db.select(Inspection.establishment_id)
        .join(latest, (Inspection.establishment_id == latest.c.establishment_id))
        .where(Inspection.submitted_at == latest.c.at, Inspection.superseded.is_(False))
        .where(Inspection.outcome == "noncompliant")
    )
    return set(rows)


def weight_of(plan: InspectionPlan, grade: str | None, bad: bool) -> float:
    """The unit's draw weight: by risk grade, times the factor for a bad record."""
    weights = plan.risk_weights or {}
    base = float(weights.get(grade or UNGRADED, weights.get(UNGRADED, 1)))
    return base * (plan.bad_record_factor if bad else 1.0)


def eligible_establishments(plan: InspectionPlan) -> list[dict]:
    """Active units of the plan's categories in its areas, by id, with grade and weight.

    A flying plan (飞行检查) has exactly one unit: the one its clue is about.
    """
    query = db.select(Establishment).where(Establishment.active.is_(True))
    if plan.kind == "flying":
        query = query.where(Establishment.id == plan.flying.establishment_id)
    else:
        query = query.where(Establishment.category.in_(plan.categories))
        query = query.where(Establishment.jurisdiction_id.in_(plan_area_ids(plan)))
    ests = db.session.scalars(query.order_by(Establishment.id)).all()
    bad = bad_record_ids([e.id for e in ests])
    return [
        {
            "id": e.id,
            "name": e.name,
            "category": e.category,
            "grade": e.risk_grade or UNGRADED,
            "bad_record": e.id in bad,
            "weight": weight_of(plan, e.risk_grade, e.id in bad),
            "jurisdiction_id": e.jurisdiction_id,
        }
        for e in ests
    ]


def eligible_inspectors(plan: InspectionPlan) -> list[dict]:
    """The plan's active field accounts by id, with the jurisdictions each covers."""
    users = sorted((u for u in plan.inspectors if u.active and u.role in FIELD), key=lambda u: u.id)
    return [
        {
            "id": u.id,
            "name": u.display_name,
            "certificate": u.enforcement_certificate_no,
            "covers": sorted(covered_jurisdiction_ids(u)),
        }
        for u in users
    ]


def recusals(plan: InspectionPlan, est_ids: list[int], user_ids: list[int]) -> dict:
    """The recusal inputs: area rule, declared conflicts, and each unit's last drawn pair."""
    conflicts = db.session.execute(
        db.select(InspectorConflict.user_id, InspectorConflict.establishment_id)
        .where(InspectorConflict.establishment_id.in_(est_ids))
        .where(InspectorConflict.user_id.in_(user_ids))
        .order_by(InspectorConflict.user_id, InspectorConflict.establishment_id)
    ).all()
    return {
        "area": plan.recuse_area_inspector,
        "conflicts": [[u, e] for u, e in conflicts],
        "last_pairs": last_pairs(est_ids) if plan.recuse_last_pair else {},
    }


def last_pairs(est_ids: list[int]) -> dict[str, list[int]]:
    """The pair of each unit's latest done plan visit, {"<est id>": [id, id]}."""
    visits = db.session.scalars(
        db.select(PlanVisit)
        .where(PlanVisit.establishment_id.in_(est_ids), PlanVisit.status == "done")
        .order_by(PlanVisit.id)
    )
    pairs = {}
    for v in visits:  # later visits overwrite earlier ones
        pairs[str(v.establishment_id)] = sorted([v.lead_inspector_id, v.partner_id])
    return pairs


def target_count(plan: InspectionPlan, eligible: int) -> int:
    """How many units to draw: a share rounded up, or a number capped at the eligible."""
    if plan.quota_kind == "percent":
        return min(eligible, math.ceil(eligible * plan.quota / 100))
    return min(eligible, plan.quota)
