"""The publication clock (一公开): plan inspections' results public within 20 working days.

总局令第49号 Art 39. The clock runs from the day of the result (its first submit, kept by
amendments) and counts working days only (app.core.workdays).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_

from app.core.clock import local, local_today
from app.core.workdays import Deadline, working_deadline
from app.extensions import db
from app.models import Inspection, PlanVisit

PUBLISH_WORKING_DAYS = 20
PLAN_TYPES = ("random", "special")  # 双随机, 专项


def plan_clause():
    """Inspections of a plan: typed 双随机/专项, or linked from a drawn visit (or amending one)."""
    linked = db.select(PlanVisit.inspection_id).where(PlanVisit.inspection_id.is_not(None))
    return or_(
        Inspection.inspection_type.in_(PLAN_TYPES),
        Inspection.id.in_(linked),
        Inspection.amends_id.in_(linked),
    )


def deadline_of(inspection: Inspection) -> Deadline:
    """The day the result must be public by: 20 working days after the result's day."""
    return working_deadline(local(inspection.submitted_at).date(), PUBLISH_WORKING_DAYS)


@dataclass
class Due:
    """A plan result not yet public, with its deadline and whether it is late."""

    inspection: Inspection
    deadline: Deadline
    late: bool


def due_to_publish(today: date | None = None, scope=None) -> list[Due]:
    """Current plan results that nobody has published yet, latest deadline last."""
    today = today or local_today()
    query = db.select(Inspection).where(
        Inspection.status == "submitted",
        Inspection.superseded.is_(False),
        Inspection.published_at.is_(None),
        plan_clause(),
    )
    if scope is not None:
        query = query.where(scope)
    rows = [
        Due(insp, d := deadline_of(insp), d.overdue(today))
        for insp in db.session.scalars(query.order_by(Inspection.submitted_at, Inspection.id))
    ]
    return sorted(rows, key=lambda r: (r.deadline.due, r.inspection.id))


def published_late(scope=None, limit: int = 50) -> list[Due]:
    """Plan results published after their deadline (the newest first)."""
    query = db.select(Inspection).where(
        Inspection.is_public.is_(True), Inspection.corrected_at.is_(None), plan_clause()
    )
    if scope is not None:
        query = query.where(scope)
    out = []
    for insp in db.session.scalars(query.order_by(Inspection.published_at.desc()).limit(500)):
        deadline = deadline_of(insp)
        if deadline.overdue(local_today(), local(insp.published_at).date()):
            out.append(Due(insp, deadline, True))
    return out[:limit]
