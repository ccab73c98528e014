"""The inspector's pages, made for a phone in the field."""

from flask import Blueprint

bp = Blueprint("field", __name__)

from app.web.field import attempt, flow, offline, plan_visits, routes, samples, scan  # noqa: E402,F401
