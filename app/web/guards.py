"""Route guards: roles, visibility as 404, and safe redirects.

Pages and the API check roles the same way (require_role); a refusal is a 403, which the
error handler renders as a page, or as JSON under /api/ (app.web.plumbing).
"""

from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import scope
from app.core.api_tokens import token_from_header
from app.extensions import db
from app.models import Establishment
from app.models.types import utcnow


def establishment_or_404(establishment_id: int) -> Establishment:
    """The establishment if the signed-in user may see it; 404 otherwise (never reveal it)."""
    found = scope.visible_establishment(current_user, establishment_id)
    if found is None:
        abort(404)
    return found


def require_role(roles: tuple[str, ...]) -> None:
    """403 unless the signed-in user holds one of the roles (the sets of app.core.scope)."""
    if current_user.role not in roles:
        abort(403)


def roles_required(*roles: str):
    """Limit a view to signed-in users holding one of the roles (403 for the others)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require_role(roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def token_or_roles_required(*roles: str):
    """For the API's reads: a live bearer token, or a signed-in user holding one of the roles.

    Neither is a JSON 401 naming both ways in (login_required would send the login page);
    a signed-in user without the role gets the same 403 as roles_required.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not bearer_token_presented():
                if not current_user.is_authenticated:
                    return jsonify({"error": _("需要登录或有效的 API 令牌。")}), 401
                require_role(roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def bearer_token_presented() -> bool:
    """Whether the request carries a live API token; its last use is noted every 5 minutes."""
    token = token_from_header(request.headers.get("Authorization"))
    if token is None:
        return False
    if token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = utcnow()
        db.session.commit()
    return True


def is_safe_next(target: str | None) -> bool:
    """Whether a ?next= target stays on this site (a path, no scheme or host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
