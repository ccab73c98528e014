"""Village food-safety coordinators (协管员) and which villages they cover."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_

from app.core import audit
from app.core.scope import covered_jurisdiction_ids, sees_everything
from app.extensions import db
from app.models import Coordinator, Jurisdiction, User

FIELDS = ("name", "phone", "village_id", "start_on", "end_on")


class CoordinatorError(ValueError):
    """Coordinator data the rules refuse; the message says why (in Chinese)."""


def covering_at(day: date) -> ColumnElement[bool]:
    """The indicator rule: a coordinator covers their village at ``day`` between start and end."""
    return and_(
        Coordinator.start_on <= day, or_(Coordinator.end_on.is_(None), Coordinator.end_on >= day)
    )


def villages(user: User | None = None):
    """A select of villages, limited to an inspector's area when a user is given."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.kind == "village", Jurisdiction.active)
    if user is not None and not sees_everything(user):
        stmt = stmt.where(Jurisdiction.id.in_(covered_jurisdiction_ids(user)))
    return stmt.order_by(Jurisdiction.code)


def uncovered_villages(day: date, user: User | None = None) -> list[Jurisdiction]:
    """Villages with no coordinator covering them at ``day``."""
    covered = db.select(Coordinator.village_id).where(covering_at(day))
    return list(db.session.scalars(villages(user).where(Jurisdiction.id.not_in(covered))))


def listing(active_on: date | None = None) -> list[Coordinator]:
    """Coordinators by village; only those covering ``active_on`` when given."""
    stmt = db.select(Coordinator).join(Coordinator.village)
    if active_on is not None:
        stmt = stmt.where(covering_at(active_on))
    return list(db.session.scalars(stmt.order_by(Jurisdiction.code, Coordinator.start_on.desc())))


def check(fields: dict) -> None:
    """Refuse a non-village unit or an end before the start."""
    village = db.session.get(Jurisdiction, fields["village_id"])
    if village is None or village.kind != "village":
        raise CoordinatorError(_("协管员只能登记在行政村。"))
    if fields.get("end_on") and fields["end_on"] < fields["start_on"]:
        raise CoordinatorError(_("离任日期不能早于上任日期。"))


def add(actor: User | None, **fields) -> Coordinator:
    """Register a coordinator."""
    check(fields)
    coordinator = Coordinator(**fields)
    summary = audit.message("coordinator.create", name=coordinator.name)
    audit.created(actor, coordinator, FIELDS, summary)
    return coordinator


def update(actor: User | None, coordinator: Coordinator, **fields) -> dict:
    """Change a coordinator (e.g. set the end date); returns and audits what changed."""
    check({name: fields.get(name, getattr(coordinator, name)) for name in FIELDS})
    name = fields.get("name", coordinator.name)
    return audit.update(
        actor, coordinator, FIELDS, fields, audit.message("coordinator.update", name=name)
    )
