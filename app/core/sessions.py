"""Revocable sign-ins: one user_session row per sign-in, named in the session cookie.

Flask-Login keeps `User.get_id()` in the session and the remember cookie; here that id is
"<user id>:<token>" of the sign-in's row (Flask-Login's alternative tokens), so a new
token each sign-in gives a new remember cookie, and deleting the row (sign-out, sign out
everywhere, a password change or reset, deactivation) stops every copy of both cookies
on the next request, on every app server.

The row keeps only the SHA-256 of the token (256 random bits, so a plain hash is enough:
nothing to guess, no salt or slow hash needed) and every lookup goes by that hash, so a
copy of the user_session table (a leaked backup, a read-only SQL hole) names no cookie
that would sign anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from app.extensions import db
from app.models import User, UserSession
from app.models.types import utcnow


def lifetime() -> timedelta:
    """How long a sign-in lasts at most (also the remember cookie's lifetime)."""
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def token_hash(token: str) -> str:
    """What the database keeps of a sign-in token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User) -> str:
    """Start a sign-in for a user and set its id on the user (caller commits)."""
    now = utcnow()
    # Expired sign-ins of anyone go here, by the expires_at index: no purge job needed.
    db.session.execute(db.delete(UserSession).where(UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=token_hash(token), expires_at=now + lifetime())
    )
    user.session_id = f"{user.id}:{token}"
    return user.session_id


def load(session_id: str) -> User | None:
    """The active user a live sign-in id names, or None (revoked, expired or malformed)."""
    user_part, _, token = (session_id or "").partition(":")
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(
        db.select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == token_hash(token), UserSession.expires_at > utcnow())
    )
    if user is None or str(user.id) != user_part or not user.active:
        return None
    user.session_id = session_id
    return user


def close_session(session_id: str | None) -> None:
    """End one sign-in (this browser's), leaving the user's others (caller commits)."""
    _, _, token = (session_id or "").partition(":")
    if token:
        db.session.execute(
            db.delete(UserSession).where(UserSession.token_hash == token_hash(token))
        )


def revoke_all(user: User) -> int:
    """End every sign-in of a user, on every device (caller commits); how many ended."""
    result = db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount
