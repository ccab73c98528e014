"""The JSON API (/api/v1): the offline client's submissions, and reads for other systems."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.web.api import attempts, inspections, offline, routes  # noqa: E402,F401
