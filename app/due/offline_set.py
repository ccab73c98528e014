"""The inspector's offline working set: what the phone keeps to work with no signal.

One compact JSON document per inspector (their areas only): the due list, the active
establishments with their codes, open ledger entries and last result, and the checklists
in force at their version. The phone renders its offline pages from it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy.orm import joinedload

from app.checklists import Programme, shipped_programmes
from app.core.clock import local, local_today
from app.core.scope import establishment_scope
from app.due.visits import due_list
from app.extensions import db
from app.inspections.drafts import ensure_version, programme_in_force
from app.inspections.ledger import LIVE_STATES
from app.inspections.queries import latest_by_establishment
from app.models import Establishment, LedgerEntry, User
from app.models.types import utcnow
from app.plans.visits import inspection_type_for, open_visits_for, partner_of

FORMAT = 1  # bumped when the shape changes; the phone refetches on a mismatch


def working_set(user: User, config, today: date | None = None) -> dict:
    """The whole offline set of one inspector, as JSON-ready data."""
    today = today or local_today()
    ests = _establishments(user)
    entries = _open_entries(user)
    visits = _open_visits(user)
    latest = latest_by_establishment(e.id for e in ests)
    categories = {e.category for e in ests}
    return {
        "format": FORMAT,
        "generated_at": utcnow().isoformat(),
        "user": {"id": user.id, "name": user.display_name},
        "programmes": _programmes(categories),
        "establishments": [
            _establishment(e, latest.get(e.id), entries[e.id], visits.get(e.id)) for e in ests
        ],
        "due": [_due(row, today) for row in due_list(user, config, today)],
    }


def _establishments(user: User) -> list[Establishment]:
    return list(
        db.session.scalars(
            db.select(Establishment)
            .options(joinedload(Establishment.jurisdiction))
            .where(establishment_scope(user), Establishment.active.is_(True))
            .order_by(Establishment.name, Establishment.id)
        )
    )


def _open_entries(user: User) -> dict[int, list[dict]]:
    rows = db.session.scalars(
        db.select(LedgerEntry)
        .join(Establishment, LedgerEntry.establishment_id == Establishment.id)
        .where(establishment_scope(user), LedgerEntry.state.in_(LIVE_STATES))
        .order_by(LedgerEntry.due_date, LedgerEntry.id)
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for entry in rows:
        due = entry.due_date.isoformat() if entry.due_date else None
        out[entry.establishment_id].append(
            {"id": entry.id, "item": entry.item_text, "due": due, "state": entry.state}
        )
    return out


def _open_visits(user: User) -> dict[int, dict]:
    """The user's open drawn visits (双随机, 专项, 飞行) by unit: type, partner, deadline."""
    return {
        v.establishment_id: {
            "type": inspection_type_for(v),
            "partner": partner_of(v, user).display_name,
            "due_on": v.due_on.isoformat() if v.due_on else None,
        }
        for v in open_visits_for(user)
    }


def _establishment(est: Establishment, last, entries: list[dict], visit: dict | None) -> dict:
    data = {
        "id": est.id,
        "name": est.name,
        "category": est.category,
        "address": est.address,
        "area": est.jurisdiction.name,
        "short_code": est.short_code,
        "token": est.qr_token,
    }
    if last is not None:
        data["last"] = {
            "on": local(last.submitted_at).date().isoformat(),
            "outcome": last.outcome,
            "grade": last.grade,
        }
    if entries:
        data["entries"] = entries
    if visit:
        data["visit"] = visit  # a drawn visit: its type and partner preset the checklist
    return data


def _due(row, today: date) -> dict:
    return {
        "id": row.establishment_id,
        "due_on": row.due_on.isoformat(),
        "overdue": row.days_overdue(today),
        "kinds": sorted({r.kind for r in row.reasons}),
    }


def _programmes(categories: set[str]) -> dict[str, dict]:
    """The programmes in force for these categories, each version stored (for the submit)."""
    out = {}
    for code in shipped_programmes():
        programme = programme_in_force(code)
        if categories & set(programme.categories):
            ensure_version(programme)
            out[code] = _programme(programme)
    return out


def _programme(programme: Programme) -> dict:
    """The snapshot the phone renders, with the English twins for an English UI."""
    data = programme.snapshot()
    data.pop("scoring", None)
    english = {i.id: i.text_en for i in programme.items if i.text_en}
    english.update({f"s:{s.id}": s.title_en for s in programme.sections if s.title_en})
    data["en"] = english
    return data
