"""Sign-in throttling per typed username and per client address, with doubling locks.

Kept in the database (one upsert per failure), so several app servers count together.
A username locks after LOGIN_MAX_FAILURES failures, an address after
LOGIN_MAX_FAILURES_PER_ADDRESS (one office behind one NAT address shares it); each
further failure doubles the lock from LOGIN_LOCK_MINUTES up to LOGIN_LOCK_MAX_MINUTES.
A day without failures forgets them; a success clears the username's count.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow

USERNAME = "username"
ADDRESS = "address"
FORGET_AFTER = timedelta(hours=24)


def address_key(address: str | None) -> str:
    """A keyed hash of a client address: countable without keeping the address."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, (address or "").encode(), hashlib.sha256).hexdigest()


def lock_minutes(failures: int, threshold: int) -> int:
    """How long a key with this many failures is locked (0 below the threshold)."""
    if failures < threshold:
        return 0
    config = current_app.config
    base, cap = config["LOGIN_LOCK_MINUTES"], config["LOGIN_LOCK_MAX_MINUTES"]
    return min(base * 2 ** min(failures - threshold, 30), cap)


def wait_seconds(username: str, address: str | None) -> tuple[str, int]:
    """The scope locked longest for this attempt and its seconds left; ("", 0) when free."""
    keys = {(USERNAME, username), (ADDRESS, address_key(address))}
    now = utcnow()
    rows = db.session.execute(
        db.select(LoginThrottle.scope, LoginThrottle.locked_until).where(
            db.tuple_(LoginThrottle.scope, LoginThrottle.key).in_(keys),
            LoginThrottle.locked_until > now,
        )
    ).all()
    if not rows:
        return "", 0
    scope, until = max(rows, key=lambda row: row.locked_until)
    return scope, max(1, math.ceil((until - now).total_seconds()))


def record_failure(username: str, address: str | None) -> None:
    """Count one failed sign-in against the username and the address (caller commits)."""
    config = current_app.config
    count(USERNAME, username, config["LOGIN_MAX_FAILURES"])
    count(ADDRESS, address_key(address), config["LOGIN_MAX_FAILURES_PER_ADDRESS"])


def count(scope: str, key: str, threshold: int) -> None:
    """Add one failure to a key in one atomic upsert, then set its lock if it has one."""
    now = utcnow()
    table = LoginThrottle.__table__
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
    fresh = table.c.last_failure_at < now - FORGET_AFTER
    statement = (
        insert(table)
        .values(scope=scope, key=key, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key],
            set_={
                "failures": case((fresh, 1), else_=table.c.failures + 1),
                "last_failure_at": now,
            },
        )
        .returning(table.c.failures)
    )
    failures = db.session.execute(statement).scalar_one()
    minutes = lock_minutes(failures, threshold)
    if minutes:
        set_lock(scope, key, now + timedelta(minutes=minutes))


def set_lock(scope: str, key: str, until: datetime | None) -> None:
    """Lock a key until a time (None unlocks it)."""
    db.session.execute(
        db.update(LoginThrottle)
        .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
        .values(locked_until=until)
    )


def clear(scope: str, key: str) -> int:
    """Forget a key's failures and lock; the number of rows removed (0 or 1)."""
    result = db.session.execute(
        db.delete(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)
    )
    return result.rowcount


def unlock(username: str | None = None, address: str | None = None) -> int:
    """Clear a username's and/or an address's lock (the CLI's way in); rows removed."""
    removed = 0
    if username is not None:
        removed += clear(USERNAME, username)
    if address is not None:
        removed += clear(ADDRESS, address_key(address))
    return removed
