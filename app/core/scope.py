"""Who may see and change what: roles and jurisdiction scope."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, true

from app.extensions import db
from app.models import Establishment, Jurisdiction, User


def covered_jurisdiction_ids(user: User) -> set[int]:
    """The jurisdictions an inspector covers: those assigned and every unit below them."""
    ids = {j.id for j in user.jurisdictions}
    frontier = set(ids)
    while frontier:
        rows = db.session.scalars(
            db.select(Jurisdiction.id).where(Jurisdiction.parent_id.in_(frontier))
        )
        frontier = set(rows) - ids
        ids |= frontier
    return ids


def sees_everything(user: User) -> bool:
    """Admins and viewers read the whole city; inspectors only their area."""
    return user.role in ("admin", "viewer")


def establishment_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting establishments to those the user may see."""
    if sees_everything(user):
        return true()
    return Establishment.jurisdiction_id.in_(covered_jurisdiction_ids(user))


def visible_establishment(user: User, establishment_id: int) -> Establishment:
    """The establishment if the user may see it; 404 otherwise (never reveal it exists)."""
    found = db.session.scalar(
        db.select(Establishment).where(
            Establishment.id == establishment_id, establishment_scope(user)
        )
    )
    if found is None:
        abort(404)
    return found


def roles_required(*roles: str):
    """Limit a view to signed-in users holding one of the roles (403 for the others)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Whether a ?next= target stays on this site (a path, no scheme or host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
