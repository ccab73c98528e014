"""Establishment codes on the public side: find by token or short code, replace, rate-limit."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from app.core import audit
from app.extensions import db
from app.models import Establishment, LookupAttempt, RetiredCode, User
from app.models.types import utcnow
from app.placards.qr import is_short_code, is_token, new_short_code, new_token, normalise_short_code

LOOKUP_KEEP = timedelta(minutes=10)


def client_hash(secret: str, address: str | None) -> str:
    """A keyed hash (HMAC-SHA256) of a client address: countable, not reversible."""
    return hmac.new(secret.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def establishment_for_token(token: str) -> Establishment | None:
    """The establishment whose current QR token this is."""
    if not is_token(token):
        return None
    return db.session.scalar(db.select(Establishment).where(Establishment.qr_token == token))


def is_retired_token(token: str) -> bool:
    """Whether the token was once an establishment's and has been replaced."""
    if not is_token(token):
        return False
    found = db.session.scalar(db.select(RetiredCode.id).where(RetiredCode.qr_token == token))
    return found is not None


def token_for_short_code(text: str) -> str | None:
    """The current QR token behind a typed short code, or None (malformed or unknown)."""
    code = normalise_short_code(text)
    if not is_short_code(code):
        return None
    return db.session.scalar(
        db.select(Establishment.qr_token).where(Establishment.short_code == code)
    )


def is_retired_short_code(text: str) -> bool:
    """Whether a typed short code belonged to a replaced placard."""
    code = normalise_short_code(text)
    if not is_short_code(code):
        return False
    found = db.session.scalar(db.select(RetiredCode.id).where(RetiredCode.short_code == code))
    return found is not None


def replace_codes(actor: User, est: Establishment) -> RetiredCode:
    """Give an establishment a new token and short code, retiring the old ones (audited)."""
    retired = RetiredCode(qr_token=est.qr_token, short_code=est.short_code, establishment_id=est.id)
    db.session.add(retired)
    old_code = est.short_code
    est.qr_token, est.short_code = new_token(), new_short_code()
    audit.record(
        actor,
        "replace_code",
        est,
        f"更换二维码 {est.name}",
        {"short_code": [old_code, est.short_code]},
    )
    return retired


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
