"""Demo history: the office has reviewed (审核) and published all but the last week's results.

The placard and the open feed show published results only, so a demo city whose results all
waited for review would show the public nothing. The demo reviewer (a second admin, since
nobody reviews their own results) approves each result a few working days after its submit;
the last week's wait in the queue for the admin to try.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from app.core.clock import LOCAL_ZONE, local, local_today
from app.core.workdays import add_working_days
from app.extensions import db
from app.models import Establishment, Inspection, User
from app.models.types import utcnow
from app.publication.review import approve

PENDING_DAYS = 7  # results submitted in the last week still wait for review
LAG_WORKING_DAYS = (1, 5)  # how long a result waited for review


def seed_reviews(seed: int = 2024) -> dict[str, int]:
    """Approve and publish the demo's older unreviewed results; returns how many."""
    admin, reviewer = (_user(name) for name in ("admin", "reviewer"))
    if admin is None or reviewer is None:
        return {}
    rng = random.Random(seed)
    approved = 0
    for inspection in _unreviewed(local_today() - timedelta(days=PENDING_DAYS)):
        actor = reviewer if inspection.inspector_id != reviewer.id else admin
        approve(actor, inspection)
        _backdate(inspection, rng)
        approved += 1
    db.session.commit()
    return {"reviews": approved}


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _unreviewed(before) -> list[Inspection]:
    """The demo's current results awaiting review, submitted before the day, oldest first."""
    cutoff = datetime.combine(before, time(0), LOCAL_ZONE)
    return list(
        db.session.scalars(
            db.select(Inspection)
            .join(Establishment, Inspection.establishment_id == Establishment.id)
            .where(Establishment.licence_no.like("DEMO-%"), Inspection.status == "submitted")
            .where(Inspection.superseded.is_(False), Inspection.review_state == "pending")
            .where(Inspection.submitted_at < cutoff)
            .order_by(Inspection.submitted_at, Inspection.id)
        )
    )


def _backdate(inspection: Inspection, rng: random.Random) -> None:
    """Put the review a few working days after the submit (never in the future)."""
    day = add_working_days(local(inspection.submitted_at).date(), rng.randint(*LAG_WORKING_DAYS))
    when = datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), LOCAL_ZONE)
    stamp = min(when, utcnow())
    inspection.reviewed_at = inspection.published_at = stamp
    if inspection.corrected_at is not None:
        inspection.corrected_at = stamp
