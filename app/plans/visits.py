"""Drawn visits in the field: on both inspectors' due lists, closed by the inspection."""

from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import or_

from app.extensions import db
from app.models import Establishment, Inspection, InspectionPlan, PlanVisit, User
from app.models.types import utcnow


def open_visits_for(user: User) -> list[PlanVisit]:
    """The user's open drawn visits, as lead or partner, earliest deadline first."""
    return list(
        db.session.scalars(
            db.select(PlanVisit)
            .where(PlanVisit.status == "open")
            .where(or_(PlanVisit.lead_inspector_id == user.id, PlanVisit.partner_id == user.id))
            .order_by(PlanVisit.due_on, PlanVisit.id)
        )
    )


def open_visit_at(user: User, est: Establishment) -> PlanVisit | None:
    """The user's open drawn visit at this unit, if any."""
    return next((v for v in open_visits_for(user) if v.establishment_id == est.id), None)


def partner_of(visit: PlanVisit, user: User) -> User:
    """The other inspector of the pair."""
    return visit.partner if visit.lead_inspector_id == user.id else visit.lead_inspector


def inspection_type_for(visit: PlanVisit) -> str:
    """双随机 for an annual plan's visit, 专项 for a special plan's, 飞行 for a flying check's."""
    return {"special": "special", "flying": "flying"}.get(visit.plan.kind, "random")


def close_on_inspection(inspection: Inspection) -> PlanVisit | None:
    """Link a submitted inspection to its inspector's open visit at the unit and close it."""
    visit = open_visit_at(inspection.inspector, inspection.establishment)
    if visit is None:
        return None
    visit.inspection_id, visit.status, visit.closed_at = inspection.id, "done", utcnow()
    return visit


def close_on_attempt(user: User, est: Establishment) -> PlanVisit | None:
    """A could-not-inspect record closes the user's open visit at the unit as such."""
    visit = open_visit_at(user, est)
    if visit is not None:
        visit.status, visit.closed_at = "could_not_inspect", utcnow()
    return visit


def visit_of_inspection(inspection: Inspection) -> PlanVisit | None:
    """The drawn visit an inspection (or the revision it amends) closed, if any."""
    ids = [inspection.id]
    while inspection.amends is not None:
        inspection = inspection.amends
        ids.append(inspection.id)
    return db.session.scalar(db.select(PlanVisit).where(PlanVisit.inspection_id.in_(ids)))


def awaiting_confirmation(user: User) -> list[PlanVisit]:
    """Done visits where this user is the partner and has not yet confirmed taking part."""
    return list(
        db.session.scalars(
            db.select(PlanVisit)
            .where(PlanVisit.partner_id == user.id, PlanVisit.status == "done")
            .where(PlanVisit.partner_confirmed_at.is_(None))
            .order_by(PlanVisit.closed_at, PlanVisit.id)
        )
    )


def confirm_part(visit: PlanVisit, user: User) -> str | None:
    """The partner confirms their part (确认参与检查); an error message, or None when recorded."""
    if visit.partner_id != user.id:
        return _("只有本次抽取的第二名检查人员可以确认参与。")
    if visit.status != "done":
        return _("检查提交后才能确认参与。")
    if visit.partner_confirmed_at is None:
        visit.partner_confirmed_at = utcnow()
    return None


def progress(plan: InspectionPlan) -> Counter:
    """Visit counts by status for the plan's draw in force."""
    live = next((d for d in plan.draws if not d.superseded), None)
    return Counter(v.status for v in live.visits) if live else Counter()
