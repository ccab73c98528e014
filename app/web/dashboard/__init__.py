"""The office's dashboard, indicator drill-downs, reports and API tokens (under /office)."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from app.web.dashboard import assessment, reports, routes, summaries, tokens  # noqa: E402,F401
