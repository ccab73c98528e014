"""Signing in and out, the home redirect and the language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.web.auth import password, routes  # noqa: E402,F401
