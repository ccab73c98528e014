"""Writing the audit log; every create, update and close goes through here."""

from datetime import date, datetime

from app.extensions import db
from app.models import AuditEvent


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(record, fields: tuple[str, ...]) -> dict:
    """A JSON-safe copy of the named fields of a record."""
    return {name: _plain(getattr(record, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """The fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(user, action: str, entity, summary: str = "", changes: dict | None = None):
    """Add an audit event for an entity to the session (committed with the change)."""
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        action=action,
        entity=entity.__tablename__,
        entity_id=entity.id,
        summary=summary,
        changes=changes or {},
    )
    db.session.add(event)
    return event


def update(actor, entity, fields: tuple[str, ...], values: dict, summary: str) -> dict:
    """Set values on an entity and audit what changed among fields; returns the changes."""
    before = snapshot(entity, fields)
    for name, value in values.items():
        setattr(entity, name, value)
    changes = diff(before, snapshot(entity, fields))
    if changes:
        record(actor, "update", entity, summary, changes)
    return changes


def history(*records, oldest_first: bool = False) -> list[AuditEvent]:
    """The audit events of one or more records of one table, newest first by default."""
    if not records:
        return []
    order = (AuditEvent.at, AuditEvent.id)
    if not oldest_first:
        order = tuple(col.desc() for col in order)
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(
                AuditEvent.entity == records[0].__tablename__,
                AuditEvent.entity_id.in_([r.id for r in records]),
            )
            .order_by(*order)
        )
    )
