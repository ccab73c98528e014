"""Photo files and uploads: served only to users who may see the establishment."""

from flask import Blueprint

bp = Blueprint("media", __name__)

from app.web.media import routes, uploads  # noqa: E402,F401
