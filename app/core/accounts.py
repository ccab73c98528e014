"""Account services: sign-in with lockout, and user management (used by web and CLI)."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func

from app.core import audit
from app.extensions import db
from app.models import Jurisdiction, LoginFailure, User
from app.models.types import utcnow


@dataclass
class SignIn:
    user: User | None = None
    locked_minutes: int = 0


def locked_for(username: str) -> int:
    """Minutes left on a lockout for this username, 0 when not locked."""
    window = timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    since = utcnow() - window
    failures = db.session.execute(
        db.select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.at > since
        )
    ).one()
    if failures[0] < current_app.config["LOGIN_MAX_FAILURES"]:
        return 0
    remaining = failures[1] + window - utcnow()
    return max(1, -(-int(remaining.total_seconds()) // 60))


def sign_in(username: str, password: str) -> SignIn:
    """Check a password, counting failures so repeated guessing locks the username."""
    username = username.strip()
    minutes = locked_for(username)
    if minutes:
        return SignIn(locked_minutes=minutes)
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password):
        db.session.add(LoginFailure(username=username))
        db.session.commit()
        return SignIn()
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    user.last_login_at = utcnow()
    db.session.commit()
    return SignIn(user=user)


USER_FIELDS = ("username", "display_name", "phone", "role", "active")
MIN_PASSWORD = 8  # the shortest password a person may choose (forms and CLI)
# One-time passwords are read aloud or copied from a sheet: no 0/o, 1/l/i look-alikes.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_LENGTH = 10


def one_time_password() -> str:
    """A random, readable password of ONE_TIME_LENGTH characters."""
    return "".join(secrets.choice(READABLE) for _ in range(ONE_TIME_LENGTH))


def create_user(
    actor, *, username, display_name, role, password, phone="", jurisdictions=(), one_time=False
):
    """Create a user with a hashed password and audit it; one_time forces a change at sign-in."""
    user = User(username=username.strip(), display_name=display_name, role=role, phone=phone)
    user.set_password(password)
    user.must_change_password = one_time
    user.jurisdictions = list(jurisdictions)
    db.session.add(user)
    db.session.flush()
    after = audit.snapshot(user, USER_FIELDS) | {"jurisdictions": jurisdiction_codes(user)}
    message = audit.message("user.create", username=user.username)
    audit.record(actor, "create", user, message, {"after": after})
    return user


def update_user(actor, user: User, *, jurisdictions=None, **fields) -> User:
    """Change a user's details, role or jurisdictions, auditing the difference."""
    before = audit.snapshot(user, USER_FIELDS) | {"jurisdictions": jurisdiction_codes(user)}
    for name, value in fields.items():
        setattr(user, name, value)
    if jurisdictions is not None:
        user.jurisdictions = list(jurisdictions)
    after = audit.snapshot(user, USER_FIELDS) | {"jurisdictions": jurisdiction_codes(user)}
    changes = audit.diff(before, after)
    if changes:
        message = audit.message("user.update", username=user.username)
        audit.record(actor, "update", user, message, changes)
    return user


def reset_password(actor, user: User, password: str) -> None:
    """Set a one-time password (never logged): the user must choose a new one at sign-in."""
    user.set_password(password)
    user.must_change_password = True
    message = audit.message("user.reset_password", username=user.username)
    audit.record(actor, "reset_password", user, message)


def change_own_password(user: User, password: str) -> None:
    """The user chose a new password: the one-time flag clears, and that is audited."""
    forced = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    summary = audit.message("user.change_password", username=user.username)
    audit.record(user, "change_password", user, summary, {"was_one_time": forced})


def jurisdiction_codes(user: User) -> list[str]:
    """The codes of the jurisdictions a user covers, for audit records."""
    return [j.code for j in user.jurisdictions]


def find_jurisdictions(codes) -> list[Jurisdiction]:
    """Jurisdictions by code, in code order."""
    rows = db.select(Jurisdiction).where(Jurisdiction.code.in_(list(codes)))
    return list(db.session.scalars(rows.order_by(Jurisdiction.code)))
