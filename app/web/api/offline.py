"""The offline client's reads: its working set and a fresh session check.

GET /api/v1/field/offline-set: the inspector's working set (their areas only), gzip-friendly
JSON the service worker keeps. GET /api/v1/field/session: who is signed in and a CSRF token,
asked by the outbox before it sends what waited offline.
"""

from flask import current_app, jsonify
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core.scope import FIELD
from app.due.offline_set import working_set
from app.web.api import bp
from app.web.guards import roles_required


@bp.get("/field/offline-set")
@roles_required(*FIELD)
def offline_set():
    response = jsonify(working_set(current_user, current_app.config))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/field/session")
@roles_required(*FIELD)
def field_session():
    response = jsonify({"user_id": current_user.id, "csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response
