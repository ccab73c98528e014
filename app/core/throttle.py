"""Sign-in throttling per typed username and per client address, with doubling locks.

Three counts, kept in the database (one upsert each per failure) so that several app
servers count together:
- a username from one address locks after LOGIN_MAX_FAILURES: guessing is slowed, yet
  someone elsewhere cannot lock the admin out with five requests;
- an address locks after LOGIN_MAX_FAILURES_PER_ADDRESS, whatever the usernames (one
  office behind one NAT address shares it, hence the higher figure);
- a username from all addresses together locks after LOGIN_MAX_FAILURES_PER_USERNAME
  (guessing spread over many addresses); `flask users unlock` lets the owner back in.
Each failure past a threshold doubles the lock from LOGIN_LOCK_MINUTES up to
LOGIN_LOCK_MAX_MINUTES. A success clears the username's counts (not the address's); a
quiet spell forgets a count: a day for a username, two hours for an address, so that an
office's occasional typos behind one address never add up to a lock (two hours is over
the cap, so a patient guesser still meets the doubled lock).
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
PAIR = "pair"  # a username from one address
FORGET_AFTER = {
    PAIR: timedelta(hours=24),
    USERNAME: timedelta(hours=24),
    ADDRESS: timedelta(hours=2),
}


def address_key(address: str | None) -> str:
    """A keyed hash of a client address: countable without keeping the address."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, (address or "").encode(), hashlib.sha256).hexdigest()


def pair_key(username: str, address: str | None) -> str:
    """The key of a username tried from one address: the address's hash, then the name."""
    return f"{address_key(address)[:32]}:{username}"


def keys(username: str, address: str | None) -> dict[str, str]:
    """The three keys one attempt counts against, by scope."""
    return {
        PAIR: pair_key(username, address),
        ADDRESS: address_key(address),
        USERNAME: username,
    }


def lock_minutes(failures: int, threshold: int) -> int:
    """How long a key with this many failures is locked (0 below the threshold)."""
    if failures < threshold:
        return 0
    config = current_app.config
    base, cap = config["LOGIN_LOCK_MINUTES"], config["LOGIN_LOCK_MAX_MINUTES"]
    return min(base * 2 ** min(failures - threshold, 30), cap)


def wait_seconds(username: str, address: str | None) -> tuple[str, int]:
    """The scope locked longest for this attempt and its seconds left; ("", 0) when free."""
    wanted = set(keys(username, address).items())
    now = utcnow()
    rows = db.session.execute(
        db.select(LoginThrottle.scope, LoginThrottle.locked_until).where(
            db.tuple_(LoginThrottle.scope, LoginThrottle.key).in_(wanted),
            LoginThrottle.locked_until > now,
        )
    ).all()
    if not rows:
        return "", 0
    scope, until = max(rows, key=lambda row: row.locked_until)
    return scope, max(1, math.ceil((until - now).total_seconds()))


def record_failure(username: str, address: str | None) -> None:
    """Count one failed sign-in against its three keys (caller commits)."""
    config = current_app.config
    thresholds = {
        PAIR: config["LOGIN_MAX_FAILURES"],
        ADDRESS: config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        USERNAME: config["LOGIN_MAX_FAILURES_PER_USERNAME"],
    }
    for scope, key in keys(username, address).items():
        count(scope, key, thresholds[scope])


def succeeded(username: str, address: str | None) -> None:
    """A right password: the username's counts start again (caller commits)."""
    clear(USERNAME, username)
    clear(PAIR, pair_key(username, address))


def count(scope: str, key: str, threshold: int) -> None:
    """Add one failure to a key in one atomic upsert, then set its lock if it has one."""
    now = utcnow()
    table = LoginThrottle.__table__
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
    cap = timedelta(minutes=2 * current_app.config["LOGIN_LOCK_MAX_MINUTES"])
    fresh = table.c.last_failure_at < now - max(FORGET_AFTER[scope], cap)
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
    """Clear a username's counts from every address, and/or an address's; rows removed.

    The CLI's way back in for a locked-out admin (the password is not changed).
    """
    removed = 0
    if username is not None:
        removed += clear(USERNAME, username)
        removed += db.session.execute(
            db.delete(LoginThrottle).where(
                LoginThrottle.scope == PAIR,
                LoginThrottle.key.endswith(f":{username}", autoescape=True),
            )
        ).rowcount
    if address is not None:
        removed += clear(ADDRESS, address_key(address))
    return removed
