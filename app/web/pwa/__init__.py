"""The installable field app: the service worker at /sw.js and the web app manifest."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from app.web.pwa import routes  # noqa: E402,F401
