"""The office's pages: the registry, inspections, complaints, placards and users."""

from flask import Blueprint

bp = Blueprint("office", __name__)

from app.web.office import (  # noqa: E402,F401
    cases,
    complaint_steps,
    complaints,
    flying,
    holidays,
    inspections,
    jurisdictions,
    placards,
    plan_conflicts,
    plans,
    publication,
    reinspection,
    routes,
    transfer,
    users,
)
