"""Reminders of the "three small" registers: cards about to expire, first inspections due,
villages without a coordinator (office home and each inspector's home)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import contains_eager

from app.core.clock import local_today
from app.core.sql_functions import dialect_function
from app.core.workdays import month_deadline
from app.extensions import db
from app.models import Establishment, Inspection, Registration, User
from app.models.types import UTCDateTime
from app.registers.coordinators import uncovered_villages
from app.registers.registrations import (
    EXPIRY_WARNING_DAYS,
    FIRST_INSPECTION_MONTHS,
    scoped,
)


def eager(stmt):
    """The establishment each listed card names, from the join scoped() already makes (the
    office home lists the whole city's cards: one query, not one per card)."""
    return stmt.options(contains_eager(Registration.establishment))


def expiring(user: User, today: date | None = None) -> list[Registration]:
    """Issued cards ending within 30 days (today counts, today + 30 counts)."""
    today = today or local_today()
    stmt = eager(scoped(user)).where(
        Registration.state == "issued",
        Registration.valid_until >= today,
        Registration.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS),
    )
    return list(db.session.scalars(stmt.order_by(Registration.valid_until, Registration.id)))


def first_inspection_deadline(issued_on: date) -> date:
    """The last day for the first inspection after a card is first issued (calendar months)."""
    return month_deadline(issued_on, FIRST_INSPECTION_MONTHS).due


local_day_start_sql = dialect_function(
    "local_day_start_sql",
    UTCDateTime(),
    "datetime({}, '-8 hours')",
    "(CAST({} AS TIMESTAMP) - INTERVAL '8 hours')",
    "The naive-UTC start of a local (Asia/Shanghai, fixed UTC+8) date column, as stored.",
)


def awaiting_first_inspection(user: User, today: date | None = None) -> list[dict]:
    """First-issued cards with no inspection since issue, earliest deadline first."""
    today = today or local_today()
    # No live inspection since the local midnight of the issue day, asked in the database
    # (an EXISTS on ix_inspection_visits per card): only the cards still waiting are loaded,
    # not every issued card of a street office (bench/rollup.py, issue #15).
    seen = db.exists().where(
        Inspection.establishment_id == Registration.establishment_id,
        Inspection.status == "submitted",
        Inspection.superseded.is_(False),
        Inspection.submitted_at >= local_day_start_sql(Registration.issued_on),
    )
    stmt = eager(scoped(user)).where(
        Registration.state == "issued",
        Registration.replaces_id.is_(None),
        Establishment.active.is_(True),
        ~seen,
    )
    rows = []
    for reg in db.session.scalars(stmt):
        deadline = first_inspection_deadline(reg.issued_on)
        rows.append({"registration": reg, "deadline": deadline, "overdue": deadline < today})
    return sorted(rows, key=lambda r: (r["deadline"], r["registration"].id))


def reminders(user: User, today: date | None = None) -> dict:
    """The office and field reminder lists, scoped to the user's area."""
    today = today or local_today()
    return {
        "today": today,
        "expiring": expiring(user, today),
        "first_inspection": awaiting_first_inspection(user, today),
        "uncovered_villages": uncovered_villages(today, user),
    }
