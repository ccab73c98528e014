"""What the public pages show of published results: the placard's posted result, a plan's list."""

from __future__ import annotations

from app.extensions import db
from app.models import Establishment, Inspection, InspectionPlan, PlanVisit
from app.publication.feed import failures_of, published, result_entry


def posted_result(establishment_id: int) -> dict | None:
    """The unit's newest published result: posted until the next inspection's is published."""
    insp = db.session.scalar(
        db.select(Inspection)
        .where(published(), Inspection.establishment_id == establishment_id)
        .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
        .limit(1)
    )
    return result_entry(insp, failures_of([insp.id])[insp.id]) if insp else None


def public_plans() -> list[InspectionPlan]:
    """Plans that have at least one drawn visit, newest period first.

    Never a flying check's one-unit plan (unannounced): its published result shows on the
    placard and in the open feeds like any other, typed 飞行检查.
    """
    with_visits = db.select(PlanVisit.plan_id)
    return list(
        db.session.scalars(
            db.select(InspectionPlan)
            .where(InspectionPlan.id.in_(with_visits), InspectionPlan.kind != "flying")
            .order_by(InspectionPlan.starts_on.desc(), InspectionPlan.id.desc())
        )
    )


def plan_results(plan: InspectionPlan) -> list[dict]:
    """The plan's published results (establishment, date, type, outcome, handling)."""
    linked = db.select(PlanVisit.inspection_id).where(PlanVisit.plan_id == plan.id)
    rows = list(
        db.session.scalars(
            db.select(Inspection)
            .join(Establishment, Inspection.establishment_id == Establishment.id)
            .where(published(), Inspection.id.in_(linked) | Inspection.amends_id.in_(linked))
            .order_by(Inspection.submitted_at, Inspection.id)
        )
    )
    failures = failures_of([r.id for r in rows])
    return [result_entry(r, failures[r.id]) for r in rows]
