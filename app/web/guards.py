"""Route guards: roles, visibility as 404, and safe redirects."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required

from app.core import scope
from app.models import Establishment


def establishment_or_404(establishment_id: int) -> Establishment:
    """The establishment if the signed-in user may see it; 404 otherwise (never reveal it)."""
    found = scope.visible_establishment(current_user, establishment_id)
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
