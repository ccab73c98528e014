"""Reading submitted inspections: latest per establishment, history, the office list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func

from app.core.clock import local_day_start
from app.core.scope import establishment_scope
from app.extensions import db
from app.models import Establishment, Inspection, User
from app.registry.establishments import unit_and_below

OUTCOMES = ("compliant", "basic", "noncompliant")


def current_revisions() -> Select:
    """Submitted inspections that no amendment has replaced."""
    return db.select(Inspection).where(
        Inspection.status == "submitted", Inspection.superseded.is_(False)
    )


def latest_by_establishment(ids: Iterable[int]) -> dict[int, Inspection]:
    """The latest current inspection of each establishment among the ids."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        current_revisions()
        .where(Inspection.establishment_id.in_(ids))
        .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
    )
    latest: dict[int, Inspection] = {}
    for row in rows:
        latest.setdefault(row.establishment_id, row)
    return latest


def last_submitted_at(ids: Iterable[int]) -> dict[int, datetime]:
    """When each establishment among the ids was last inspected (current revisions)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Inspection.establishment_id, func.max(Inspection.submitted_at))
        .where(
            Inspection.establishment_id.in_(ids),
            Inspection.status == "submitted",
            Inspection.superseded.is_(False),
        )
        .group_by(Inspection.establishment_id)
    )
    return {est_id: at for est_id, at in rows if at is not None}


def history_of(establishment: Establishment) -> list[Inspection]:
    """Every submitted inspection of an establishment, revisions included, newest first."""
    return list(
        db.session.scalars(
            db.select(Inspection)
            .where(
                Inspection.establishment_id == establishment.id,
                Inspection.status == "submitted",
            )
            .order_by(Inspection.submitted_at.desc(), Inspection.revision.desc())
        )
    )


def revisions_of(inspection: Inspection) -> list[Inspection]:
    """The chain of revisions an inspection belongs to, oldest first."""
    first = inspection
    while first.amends is not None:
        first = first.amends
    chain, seen = [first], {first.id}
    while True:
        nxt = db.session.scalar(db.select(Inspection).where(Inspection.amends_id == chain[-1].id))
        if nxt is None or nxt.id in seen:
            return chain
        chain.append(nxt)
        seen.add(nxt.id)


def office_list(
    user: User,
    programme: str = "",
    outcome: str = "",
    jurisdiction_id: int | None = None,
    inspector_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select:
    """Current submitted inspections the user may see, filtered, newest first."""
    stmt = current_revisions().join(Inspection.establishment).where(establishment_scope(user))
    if programme:
        stmt = stmt.where(Inspection.programme == programme)
    if outcome in OUTCOMES:
        stmt = stmt.where(Inspection.outcome == outcome)
    if jurisdiction_id:
        stmt = stmt.where(Establishment.jurisdiction_id.in_(unit_and_below(jurisdiction_id)))
    if inspector_id:
        stmt = stmt.where(Inspection.inspector_id == inspector_id)
    if date_from:
        stmt = stmt.where(Inspection.submitted_at >= local_day_start(date_from))
    if date_to:
        stmt = stmt.where(Inspection.submitted_at < local_day_start(date_to + timedelta(days=1)))
    return stmt.order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
