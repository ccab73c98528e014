"""Short-code lookups on the public side, limited per client without keeping addresses."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from app.extensions import db
from app.models import LookupAttempt
from app.models.types import utcnow

LOOKUP_KEEP = timedelta(minutes=10)


def client_hash(secret: str, address: str | None) -> str:
    """A keyed hash (HMAC-SHA256) of a client address: countable, not reversible."""
    return hmac.new(secret.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def lookup_allowed(client: str, per_minute: int) -> bool:
    """Count one short-code lookup for a client; False when over the per-minute limit."""
    now = utcnow()
    db.session.execute(db.delete(LookupAttempt).where(LookupAttempt.at < now - LOOKUP_KEEP))
    recent = db.session.scalar(
        db.select(db.func.count(LookupAttempt.id)).where(
            LookupAttempt.client_hash == client, LookupAttempt.at >= now - timedelta(minutes=1)
        )
    )
    if recent >= per_minute:
        db.session.commit()
        return False
    db.session.add(LookupAttempt(client_hash=client, at=now))
    db.session.commit()
    return True
