"""The hazard ledger (挂账督办): failed items followed from open to verified.

States: open → rectified (the operator says it is fixed) → verified (an inspector checks,
usually by a follow-up inspection); open or rectified → escalated, and escalated → verified.
Overdue is computed (due date before today in Asia/Shanghai, not verified), never stored.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, or_

from app.checklists import item_text
from app.core import audit, workdays
from app.core.clock import local_today
from app.core.scope import establishment_scope
from app.extensions import db
from app.models import Establishment, Inspection, LedgerEntry, Photo, User
from app.models.types import utcnow
from app.photos import service as photo_service
from app.registry.establishments import unit_and_below

OPENING_HANDLINGS = ("deadline", "investigate", "stop")
LIVE_STATES = ("open", "rectified", "escalated")
# move → (states it may start from, state it ends in)
MOVES = {
    "rectify": (("open",), "rectified"),
    "verify": (("open", "rectified", "escalated"), "verified"),
    "escalate": (("open", "rectified"), "escalated"),
}
AUDITED = ("state", "due_date", "rectification_note", "note", "verifying_inspection_id")


class IllegalTransition(ValueError):
    """A move the state machine does not allow from the entry's current state."""


def inspection_chain(inspection: Inspection) -> list[int]:
    """The inspection's id and those of the revisions it amends."""
    ids, current = [], inspection
    while current is not None and current.id not in ids:
        ids.append(current.id)
        current = current.amends
    return ids


def open_actions(inspection: Inspection) -> list[LedgerEntry]:
    """Open an entry per failed item handled by deadline, investigation or stop.

    Idempotent: items that already have an entry from this inspection (or a revision it
    amends) are not opened again. Returns every entry the inspection stands behind.
    """
    existing = {
        a.item_id: a
        for a in db.session.scalars(
            db.select(LedgerEntry).where(
                LedgerEntry.inspection_id.in_(inspection_chain(inspection))
            )
        )
    }
    entries = []
    for answer in inspection.answers:
        if answer.result != "fail" or answer.handling not in OPENING_HANDLINGS:
            continue
        entry = existing.get(answer.item_id) or new_entry(inspection, answer)
        entries.append(entry)
    return entries


def new_entry(inspection: Inspection, answer) -> LedgerEntry:
    """One ledger entry for a failed answer, audited under the inspector."""
    entry = LedgerEntry(
        establishment_id=inspection.establishment_id,
        inspection_id=inspection.id,
        item_id=answer.item_id,
        item_text=answer.item_text,
        handling=answer.handling,
        due_date=answer.due_date,
        state="open",
    )
    db.session.add(entry)
    db.session.flush()
    english = item_text(inspection.programme, answer.item_id, "", "en")[:60]
    audit.record(
        inspection.inspector,
        "open",
        entry,
        audit.message("ledger.open", item=audit.bilingual(answer.item_text[:60], english)),
        {"after": audit.snapshot(entry, AUDITED)},
    )
    return entry


def open_entries_for(establishment: Establishment) -> list[LedgerEntry]:
    """The entries still to be verified for an establishment, oldest due first."""
    return list(
        db.session.scalars(
            db.select(LedgerEntry)
            .where(
                LedgerEntry.establishment_id == establishment.id, LedgerEntry.state.in_(LIVE_STATES)
            )
            .order_by(LedgerEntry.due_date.is_(None), LedgerEntry.due_date, LedgerEntry.id)
        )
    )


def move(actor: User | None, entry: LedgerEntry, name: str, summary, **fields) -> LedgerEntry:
    """Apply a state move if the machine allows it, and audit it."""
    starts, ends = MOVES[name]
    if entry.state not in starts:
        raise IllegalTransition(f"{entry.state} → {ends}")
    before = audit.snapshot(entry, AUDITED)
    entry.state = ends
    for key, value in fields.items():
        setattr(entry, key, value)
    audit.record(actor, name, entry, summary, audit.diff(before, audit.snapshot(entry, AUDITED)))
    return entry


def rectify(
    actor: User | None, entry: LedgerEntry, note: str = "", photos=(), config=None
) -> LedgerEntry:
    """Record that the operator reports the hazard fixed, with photos of the fix.

    A refused photo raises PhotoError after the move; the caller rolls back.
    """
    move(
        actor,
        entry,
        "rectify",
        audit.message("ledger.rectify", note=note),
        rectified_at=utcnow(),
        rectification_note=note,
    )
    photo_service.attach_uploads(
        actor, entry.establishment, photos, kind="rectification", action=entry, config=config
    )
    return entry


def verify(
    actor: User | None, entry: LedgerEntry, inspection: Inspection | None = None, note: str = ""
) -> LedgerEntry:
    """An inspector confirms the hazard is gone, optionally by a follow-up inspection."""
    if inspection is not None and inspection.establishment_id != entry.establishment_id:
        raise IllegalTransition("verifying inspection is of another establishment")
    return move(
        actor,
        entry,
        "verify",
        audit.message("ledger.verify", note=note),
        verified_at=utcnow(),
        verified_by_id=getattr(actor, "id", None),
        verifying_inspection_id=inspection.id if inspection is not None else None,
        note=add_note(entry.note, note),
    )


def escalate(actor: User | None, entry: LedgerEntry, note: str = "") -> LedgerEntry:
    """Hand the entry up (case opened, referred); it stays on the ledger."""
    return move(
        actor,
        entry,
        "escalate",
        audit.message("ledger.escalate", note=note),
        escalated_at=utcnow(),
        note=add_note(entry.note, note),
    )


def add_note(old: str, new: str) -> str:
    """Append a note to the entry's running note."""
    return "\n".join(part for part in (old, new.strip()) if part)


def effective_due(entry: LedgerEntry) -> date | None:
    """The due date, moved to the next working day when it falls on a day off.

    A period whose last day is a public holiday or weekend ends on the first working day
    after it (民法典 Art 203, as the enforcement procedure counts periods).
    """
    return workdays.next_working_day(entry.due_date) if entry.due_date else None


def is_overdue(entry: LedgerEntry, today: date | None = None) -> bool:
    """Past its (effective) due date in Asia/Shanghai and not yet verified."""
    today = today or local_today()
    due = effective_due(entry)
    return due is not None and due < today and entry.state != "verified"


def overdue_clause(today: date | None = None) -> ColumnElement[bool]:
    """The same rule as is_overdue, as SQL: due on or before the last working day before today."""
    today = today or local_today()
    return and_(
        LedgerEntry.due_date.is_not(None),
        LedgerEntry.due_date <= workdays.last_working_day_before(today),
        LedgerEntry.state != "verified",
    )


def ledger_query(
    user: User,
    jurisdiction_id: int | None = None,
    state: str = "",
    overdue: bool = False,
    overdue_first: bool = False,
    today: date | None = None,
) -> Select:
    """Entries the user may see, filtered as the ledger pages ask."""
    today = today or local_today()
    stmt = (
        db.select(LedgerEntry)
        .join(Establishment, LedgerEntry.establishment_id == Establishment.id)
        .where(establishment_scope(user))
    )
    if jurisdiction_id:
        stmt = stmt.where(Establishment.jurisdiction_id.in_(unit_and_below(jurisdiction_id)))
    if state == "live":
        stmt = stmt.where(LedgerEntry.state.in_(LIVE_STATES))
    elif state:
        stmt = stmt.where(LedgerEntry.state == state)
    if overdue:
        stmt = stmt.where(overdue_clause(today))
    order = [LedgerEntry.due_date.is_(None), LedgerEntry.due_date, LedgerEntry.id]
    if overdue_first:
        order.insert(0, case((overdue_clause(today), 0), else_=1))
    return stmt.order_by(*order)


def visible_entry(user: User, action_id: int) -> LedgerEntry | None:
    """The entry if the user may see it, else None."""
    return db.session.scalar(ledger_query(user).where(LedgerEntry.id == action_id))


def entry_photos(entry: LedgerEntry) -> list[Photo]:
    """Photos of the failed item from the opening inspection, and of the rectification."""
    return list(
        db.session.scalars(
            db.select(Photo)
            .where(
                or_(
                    and_(
                        Photo.inspection_id.is_not(None),
                        Photo.inspection_id == entry.inspection_id,
                        Photo.item_id == entry.item_id,
                    ),
                    Photo.action_id == entry.id,
                )
            )
            .order_by(Photo.id)
        )
    )
