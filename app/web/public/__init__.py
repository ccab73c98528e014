"""The public side: an establishment's status page from its QR, complaints, code lookup."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.web.public import (  # noqa: E402,F401
    cases,
    complaint_status,
    open_feed,
    plan_results,
    reinspection,
    routes,
)
