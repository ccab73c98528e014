"""API tokens: created by the admin, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from app.core import audit
from app.extensions import db
from app.models import ApiToken, User
from app.models.types import utcnow

PREFIX = "fx_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain text is returned once and never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name, token_hash=hash_token(plain), prefix=plain[:10], created_by_id=actor.id
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor, "create", row, audit.message("token.create", name=name), {"prefix": row.prefix}
    )
    return row, plain


def revoke_token(actor: User, row: ApiToken) -> None:
    """Stop a token from working (kept for the record)."""
    row.revoked_at = utcnow()
    audit.record(
        actor, "revoke", row, audit.message("token.revoke", name=row.name), {"prefix": row.prefix}
    )


def token_from_header(header: str | None) -> ApiToken | None:
    """The live token named by an 'Authorization: Bearer …' header, if any."""
    if not header or not header.startswith("Bearer "):
        return None
    plain = header.removeprefix("Bearer ").strip()
    row = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if row is None or row.revoked_at is not None:
        return None
    return row
