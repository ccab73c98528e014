"""Saving a plan from checked values, and reading plans for the office."""

from __future__ import annotations

from app.core import audit
from app.extensions import db
from app.models import Establishment, InspectionPlan, InspectorConflict, Jurisdiction, User

PLAN_FIELDS = (
    "name",
    "kind",
    "lead_department",
    "starts_on",
    "ends_on",
    "categories",
    "quota_kind",
    "quota",
    "risk_weights",
    "bad_record_factor",
    "recuse_area_inspector",
    "recuse_last_pair",
    "note",
)


def all_plans() -> list[InspectionPlan]:
    """Every plan, the latest period first; flying checks' one-unit plans have their own list."""
    query = db.select(InspectionPlan).where(InspectionPlan.kind != "flying")
    query = query.order_by(InspectionPlan.starts_on.desc(), InspectionPlan.id)
    return list(db.session.scalars(query))


def save_plan(
    actor: User, plan: InspectionPlan | None, values: dict, street_ids, user_ids
) -> InspectionPlan:
    """Create or update a plan with its streets and inspectors; audited, not committed."""
    created = plan is None
    plan = plan or InspectionPlan(created_by_id=actor.id)
    for name in PLAN_FIELDS:
        setattr(plan, name, values[name])
    plan.jurisdictions = list(
        db.session.scalars(db.select(Jurisdiction).where(Jurisdiction.id.in_(list(street_ids))))
    )
    plan.inspectors = list(db.session.scalars(db.select(User).where(User.id.in_(list(user_ids)))))
    db.session.add(plan)
    db.session.flush()
    message = audit.message("plan.save", name=plan.name)
    audit.record(actor, "create" if created else "update", plan, message)
    return plan


def conflicts() -> list[InspectorConflict]:
    """Every declared conflict, the latest first."""
    query = db.select(InspectorConflict).order_by(InspectorConflict.declared_at.desc())
    return list(db.session.scalars(query))


def declare_conflict(actor: User, user: User, est: Establishment, reason: str) -> InspectorConflict:
    """Record that this inspector must not be drawn for this unit (once per pair); audited."""
    found = db.session.scalar(
        db.select(InspectorConflict).where(
            InspectorConflict.user_id == user.id, InspectorConflict.establishment_id == est.id
        )
    )
    if found:
        return found
    conflict = InspectorConflict(
        user_id=user.id, establishment_id=est.id, reason=reason, recorded_by_id=actor.id
    )
    db.session.add(conflict)
    db.session.flush()
    audit.record(actor, "create", conflict, audit.message("plan.conflict", name=est.name))
    return conflict
