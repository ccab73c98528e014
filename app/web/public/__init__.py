"""The public side: an establishment's status page from its QR, complaints, code lookup."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.web.public import complaint_status, open_feed, reinspection, routes  # noqa: E402,F401
