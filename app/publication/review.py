"""Review (审核): a reviewer approves a submitted result, which publishes it, or returns it.

Reviewers are the admins (app.core.scope.REVIEWERS); nobody reviews a result they inspected.
A returned result goes back to its inspector, who amends it (app.inspections.amendments);
the new revision waits for review again, while an earlier published one stays public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from app.core import audit
from app.core.clock import local, local_today
from app.core.scope import REVIEWERS
from app.core.workdays import working_days_between
from app.extensions import db
from app.models import Inspection, User
from app.models.data_partition import rows_of
from app.models.types import utcnow

NOTE_MAX = 1000


class ReviewRefused(ValueError):
    """The review cannot be recorded; the message says why, in Chinese."""


def may_review(user: User, inspection: Inspection) -> bool:
    """Whether the user may review this result: a reviewer, not its own inspector."""
    return getattr(user, "role", None) in REVIEWERS and user.id != inspection.inspector_id


def _check(actor: User, inspection: Inspection, note: str) -> str:
    if not may_review(actor, inspection):
        raise ReviewRefused(_("您不能审核本人的检查结果。"))
    if inspection.status != "submitted" or inspection.superseded:
        raise ReviewRefused(_("该检查记录已有新版本，请审核最新版本。"))
    if inspection.review_state != "pending":
        raise ReviewRefused(_("该检查结果已审核，无需重复审核。"))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReviewRefused(_("审核意见不超过 %(n)d 字。", n=NOTE_MAX))
    return note


def _previous_public(inspection: Inspection) -> Inspection | None:
    """The published revision of the same result that this one replaces, if any."""
    old = inspection.amends
    while old is not None:
        if old.is_public:
            return old
        old = old.amends
    return None


def approve(actor: User, inspection: Inspection, note: str = "") -> Inspection:
    """Approve and publish the result; an earlier published revision is shown as corrected."""
    note = _check(actor, inspection, note)
    now = utcnow()
    previous = _previous_public(inspection)
    if previous is not None:
        db.session.execute(
            update(Inspection)
            .where(Inspection.id == previous.id)
            .values(is_public=False)
            .execution_options(**rows_of(previous.establishment_id))
        )
        inspection.corrected_at = now
    inspection.review_state, inspection.review_note = "approved", note
    inspection.reviewed_by_id, inspection.reviewed_at = actor.id, now
    inspection.published_at, inspection.is_public = now, True
    summary = audit.message("inspection.approve", name=inspection.establishment.name)
    audit.record(actor, "update", inspection, summary, {"review_state": "approved"})
    return inspection


def return_result(actor: User, inspection: Inspection, note: str) -> Inspection:
    """Return the result to its inspector with a note saying what to correct."""
    note = _check(actor, inspection, note)
    if not note:
        raise ReviewRefused(_("【退回意见】未填写：请写明需要修改的内容。"))
    inspection.review_state, inspection.review_note = "returned", note
    inspection.reviewed_by_id, inspection.reviewed_at = actor.id, utcnow()
    summary = audit.message("inspection.return", name=inspection.establishment.name)
    audit.record(actor, "update", inspection, summary, {"review_state": "returned"})
    return inspection


@dataclass
class Held:
    """One result in the review queue: who holds it and for how many working days."""

    inspection: Inspection
    holder: str  # reviewer | inspector
    since: date
    working_days: int


def _current(state: str, scope=None):
    query = db.select(Inspection).where(
        Inspection.status == "submitted",
        Inspection.superseded.is_(False),
        Inspection.review_state == state,
    )
    if scope is not None:
        query = query.where(scope)
    return db.session.scalars(query.order_by(Inspection.submitted_at, Inspection.id))


def queue(today: date | None = None, scope=None) -> list[Held]:
    """Results awaiting review (held by the reviewers) and returned ones (by their inspector)."""
    today = today or local_today()
    rows = []
    for insp in _current("pending", scope):
        since = local(insp.submitted_at).date()
        rows.append(Held(insp, "reviewer", since, working_days_between(since, today)))
    for insp in _current("returned", scope):
        since = local(insp.reviewed_at).date()
        rows.append(Held(insp, "inspector", since, working_days_between(since, today)))
    return rows


def returned_to(user: User) -> list[Inspection]:
    """The inspector's results returned for correction, oldest first."""
    return list(_current("returned", Inspection.inspector_id == user.id))
