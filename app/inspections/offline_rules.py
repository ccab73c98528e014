"""The rules for an inspection done offline that meets a changed world at submit.

Each rule accepts what it can and says so in plain Chinese (the phone's outbox shows it):
- the checklist changed while the phone was offline: the inspection is recorded against
  the version the draft started with (its stored ChecklistVersion), not today's;
- the establishment was closed meanwhile: the inspection is kept, the office is told;
- the establishment was transferred out of the inspector's areas after the draft started:
  the inspection is kept (the visit happened while it was theirs);
- a ledger entry the draft verifies was verified by someone else meanwhile: it is left as
  that person closed it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.core.clock import format_local
from app.core.scope import covered_jurisdiction_ids, visible_establishment
from app.extensions import db
from app.inspections.drafts import programme_in_force
from app.inspections.ledger import LIVE_STATES
from app.models import AuditEvent, ChecklistVersion, Establishment, LedgerEntry, User

MAX_OFFLINE = timedelta(days=30)  # a draft started longer ago cannot claim an old area


def stored_version(code: str, version: str | None) -> ChecklistVersion | None:
    """The stored checklist version a draft started with (None when unknown or not given)."""
    if not version:
        return None
    return db.session.scalar(
        db.select(ChecklistVersion).where(
            ChecklistVersion.programme == code, ChecklistVersion.version == version
        )
    )


def version_notice(code: str, row: ChecklistVersion) -> str | None:
    """A notice when the draft's version is no longer the one in force."""
    try:
        current = programme_in_force(code)
    except KeyError:
        current = None
    if current is not None and current.version == row.version:
        return None
    return _(
        "检查表在您离线期间已更新；本次检查按开始检查时的版本（%(date)s）记录。",
        date=format_local(row.created_at, "%Y-%m-%d"),
    )


def closed_notice(establishment: Establishment) -> str | None:
    """A notice when the establishment was closed (the inspection is kept all the same)."""
    if establishment.active:
        return None
    when = format_local(establishment.closed_at, "%Y-%m-%d") if establishment.closed_at else ""
    return _(
        "该单位已于 %(date)s 注销；检查记录已照常保存，请告知办公室核实。",
        date=when,
    )


def moved_from_area(user: User, est_id: int, started_at: datetime | None, now: datetime):
    """The establishment if it left one of the user's areas after started_at, else None."""
    if started_at is None or started_at > now or now - started_at > MAX_OFFLINE:
        return None
    areas = covered_jurisdiction_ids(user)
    events = db.session.scalars(
        db.select(AuditEvent).where(
            AuditEvent.entity == "establishment",
            AuditEvent.entity_id == est_id,
            AuditEvent.at >= started_at,
        )
    )
    for event in events:
        moved = (event.changes or {}).get("jurisdiction_id")
        if isinstance(moved, list) and moved and moved[0] in areas:
            return db.session.get(Establishment, est_id)
    return None


def establishment_for_submit(user: User, est_id: int, started_at, now):
    """(establishment, notice): in the user's areas now, or moved out after the draft began."""
    found = visible_establishment(user, est_id)
    if found is not None:
        return found, None
    moved = moved_from_area(user, est_id, started_at, now)
    if moved is None:
        return None, None
    notice = _(
        "该单位在您离线期间已划出您的辖区（现属%(area)s）；检查记录已按开始检查时的辖区保存。",
        area=moved.jurisdiction.name,
    )
    return moved, notice


def verified_elsewhere(establishment: Establishment, wanted: Collection[int]) -> list[str]:
    """Notices for the entries the draft verifies that someone else already closed."""
    if not wanted:
        return []
    rows = db.session.scalars(
        db.select(LedgerEntry).where(
            LedgerEntry.id.in_(list(wanted)),
            LedgerEntry.establishment_id == establishment.id,
            LedgerEntry.state.not_in(LIVE_STATES),
        )
    )
    return [_entry_notice(entry) for entry in rows]


def _entry_notice(entry: LedgerEntry) -> str:
    by = db.session.get(User, entry.verified_by_id) if entry.verified_by_id else None
    when = format_local(entry.verified_at, "%m-%d %H:%M") if entry.verified_at else ""
    return _(
        "隐患“%(item)s”已由%(who)s于 %(when)s 复查销号，本次未重复销号。",
        item=entry.item_text,
        who=by.display_name if by else _("他人"),
        when=when,
    )
