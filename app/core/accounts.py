"""Account services: sign-in with throttling, and user management (used by web and CLI)."""

import secrets
from dataclasses import dataclass
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from app.core import audit, sessions, throttle
from app.core.labels import LEADS_EN
from app.extensions import db
from app.models import Jurisdiction, User
from app.models.types import utcnow


@dataclass
class SignIn:
    user: User | None = None
    locked_scope: str = ""  # the throttle scope (PAIR, ADDRESS, USERNAME) that refused it
    wait_seconds: int = 0


@cache
def dummy_hash() -> str:
    """A hash made the way real ones are, checked for unknown users so both take as long."""
    return generate_password_hash(secrets.token_urlsafe(16))


def password_matches(user: User | None, password: str) -> bool:
    """Check the password against the user's hash, or the dummy hash for no such user."""
    if user is None:
        check_password_hash(dummy_hash(), password)
        return False
    return user.check_password(password)


def sign_in(username: str, password: str, address: str | None = None) -> SignIn:
    """Check a password and open a sign-in, counting failures per username and address.

    Commits, so that a refused attempt counts even when the caller goes no further.
    """
    username = username.strip()
    scope, wait = throttle.wait_seconds(username, address)
    if wait:
        return SignIn(locked_scope=scope, wait_seconds=wait)
    user = db.session.scalar(db.select(User).where(User.username == username))
    if not password_matches(user, password) or not user.active:
        throttle.record_failure(username, address)
        db.session.commit()
        return SignIn()
    throttle.succeeded(username, address)
    sessions.open_session(user)
    user.last_login_at = utcnow()
    db.session.commit()
    return SignIn(user=user)


USER_FIELDS = (
    "username",
    "display_name",
    "phone",
    "enforcement_certificate_no",
    "role",
    "lead",
    "active",
)
# The lead departments an account may belong to (User.lead): the catalogue's LEADS, named
# here through their labels since app.core sits beneath app.indicators.
DEPARTMENTS = tuple(LEADS_EN)
MIN_PASSWORD = 8  # the shortest password a person may choose (forms and CLI)
# One-time passwords are read aloud or copied from a sheet: no 0/o, 1/l/i look-alikes.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_LENGTH = 10


def one_time_password() -> str:
    """A random, readable password of ONE_TIME_LENGTH characters."""
    return "".join(secrets.choice(READABLE) for _ in range(ONE_TIME_LENGTH))


def create_user(
    actor,
    *,
    username,
    display_name,
    role,
    password,
    phone="",
    jurisdictions=(),
    one_time=False,
    enforcement_certificate_no="",
    lead=None,
):
    """Create a user with a hashed password and audit it; one_time forces a change at sign-in.

    lead: the lead department (DEPARTMENTS) a viewer writes summaries for, or None."""
    user = User(username=username.strip(), display_name=display_name, role=role, phone=phone)
    user.lead = lead or None
    user.enforcement_certificate_no = (enforcement_certificate_no or "").strip()
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
    was_active = user.active
    for name, value in fields.items():
        setattr(user, name, value)
    if was_active and not user.active:
        sessions.revoke_all(user)  # signed out everywhere at once, not at the next sign-in
    if jurisdictions is not None:
        user.jurisdictions = list(jurisdictions)
    after = audit.snapshot(user, USER_FIELDS) | {"jurisdictions": jurisdiction_codes(user)}
    changes = audit.diff(before, after)
    if changes:
        message = audit.message("user.update", username=user.username)
        audit.record(actor, "update", user, message, changes)
    return user


def reset_password(actor, user: User, password: str) -> None:
    """Set a one-time password (never logged): the user must choose a new one at sign-in.

    Every sign-in of the user ends: whoever held the old password is out.
    """
    user.set_password(password)
    sessions.revoke_all(user)
    user.must_change_password = True
    message = audit.message("user.reset_password", username=user.username)
    audit.record(actor, "reset_password", user, message)


def change_own_password(user: User, password: str) -> None:
    """The user chose a new password: other sign-ins end, this one gets a new id; audited."""
    forced = user.must_change_password
    user.set_password(password)
    sessions.revoke_all(user)
    sessions.open_session(user)
    user.must_change_password = False
    summary = audit.message("user.change_password", username=user.username)
    audit.record(user, "change_password", user, summary, {"was_one_time": forced})


def sign_out_everywhere(actor, user: User) -> int:
    """End every sign-in of a user on every device, audited; how many ended."""
    ended = sessions.revoke_all(user)
    message = audit.message("user.sign_out_everywhere", username=user.username)
    audit.record(actor, "sign_out_everywhere", user, message, {"ended": ended})
    return ended


def unlock_sign_in(username: str | None = None, address: str | None = None) -> int:
    """Lift a sign-in lock (the CLI's way in); audited when it names a real user."""
    removed = throttle.unlock(username=username, address=address)
    user = username and db.session.scalar(db.select(User).where(User.username == username))
    if user and removed:
        message = audit.message("user.unlock", username=username)
        audit.record(None, "unlock", user, message, {"address": bool(address)})
    return removed


def jurisdiction_codes(user: User) -> list[str]:
    """The codes of the jurisdictions a user covers, for audit records."""
    return [j.code for j in user.jurisdictions]


def find_jurisdictions(codes) -> list[Jurisdiction]:
    """Jurisdictions by code, in code order."""
    rows = db.select(Jurisdiction).where(Jurisdiction.code.in_(list(codes)))
    return list(db.session.scalars(rows.order_by(Jurisdiction.code)))
