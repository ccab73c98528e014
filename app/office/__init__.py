"""The office's pages: the registry, users and (later) indicators and reports."""

from flask import Blueprint

bp = Blueprint("office", __name__)

from app.office import complaints, placards, routes, transfer, users  # noqa: E402,F401
