"""The inspector's pages, made for a phone in the field."""

from flask import Blueprint

bp = Blueprint("field", __name__)

from app.web.field import (  # noqa: E402,F401
    attempt,
    flow,
    offline,
    plan_visits,
    routes,
    samples,
    scan,
)
