"""Re-inspection requests (申请复查): asked for from the placard page or the office, due
within REINSPECTION_WORKING_DAYS working days, closed by the unit's next submitted inspection."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.clock import local_today
from app.core.workdays import add_working_days
from app.extensions import db
from app.models import Establishment, Inspection, User
from app.models.reinspection import ReinspectionRequest
from app.models.types import utcnow

# No rule fixes the wait for a re-inspection; ten working days (two office weeks) is the
# local practice for follow-up visits. Change it here.
REINSPECTION_WORKING_DAYS = 10


def open_request(est: Establishment) -> ReinspectionRequest | None:
    """The unit's open request, if any."""
    return db.session.scalar(
        db.select(ReinspectionRequest).where(
            ReinspectionRequest.establishment_id == est.id, ReinspectionRequest.status == "open"
        )
    )


def request_reinspection(
    est: Establishment,
    source: str,
    *,
    actor: User | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    note: str = "",
    sender_hash: str = "",
    today: date | None = None,
) -> tuple[ReinspectionRequest, bool]:
    """(the open request, created?): a second request while one is open returns the first."""
    if (found := open_request(est)) is not None:
        return found, False
    due_on = add_working_days(today or local_today(), REINSPECTION_WORKING_DAYS)
    req = ReinspectionRequest(
        establishment_id=est.id,
        source=source if source in ("public", "office") else "office",
        contact_name=contact_name.strip()[:64],
        contact_phone=contact_phone.strip()[:32],
        note=note.strip(),
        sender_hash=sender_hash,
        due_on=due_on,
        status="open",
    )
    try:
        with db.session.begin_nested():  # a racing post hits the one-open index
            db.session.add(req)
            db.session.flush()
    except IntegrityError:
        return open_request(est), False
    summary = audit.message("reinspection.request", name=est.name, due=due_on.isoformat())
    audit.record(actor, "create", req, summary, {"source": req.source})
    return req, True


def recent_by_sender(sender_hash: str) -> int:
    """Public requests from one sender in the last hour (for the per-sender limit)."""
    return db.session.scalar(
        db.select(func.count(ReinspectionRequest.id)).where(
            ReinspectionRequest.sender_hash == sender_hash,
            ReinspectionRequest.requested_at >= utcnow() - timedelta(hours=1),
        )
    )


def close_on_inspection(inspection: Inspection) -> None:
    """A visit submitted after the request closes the unit's open request."""
    req = open_request(inspection.establishment)
    # An amendment keeps the old visit's time: it does not answer a later request.
    if req is None or inspection.submitted_at < req.requested_at:
        return
    req.status, req.closed_at, req.closing_inspection_id = "done", utcnow(), inspection.id
    summary = audit.message("reinspection.close", name=inspection.establishment.name)
    audit.record(inspection.inspector, "update", req, summary, {"inspection_id": inspection.id})


def open_requests(scope=None) -> list[ReinspectionRequest]:
    """Open requests (within a scope over Establishment, if given), earliest deadline first."""
    query = db.select(ReinspectionRequest).where(ReinspectionRequest.status == "open")
    if scope is not None:
        query = query.join(Establishment).where(scope)
    return list(db.session.scalars(query.order_by(ReinspectionRequest.due_on)))
