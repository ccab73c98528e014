"""Deadlines on the pages: the due date, how it is counted (工作日 or 自然月), and the
calendar's warning when a year's holidays are not configured (shared by the blueprints)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.core import labels, workdays
from app.core.clock import local_today
from app.inspections.ledger import effective_due, is_overdue
from app.public.complaint_clock import complaint_deadline, complaint_late
from app.registers.registrations import FIRST_INSPECTION_MONTHS

# The longest working-day clock (15 + 15 working days) reaches about six weeks ahead.
WARN_AHEAD_DAYS = 60


def calendar_warnings() -> list[str]:
    """The warning "2027年节假日未配置" for each year a deadline running from today could reach."""
    today = local_today()
    years = workdays.unconfigured_years(today, today + timedelta(days=WARN_AHEAD_DAYS))
    return [str(labels.unconfigured_year_label(y)) for y in years]


def init_app(app: Flask) -> None:
    """The deadline helpers as template globals."""
    app.jinja_env.globals.update(
        calendar_warnings=calendar_warnings,
        complaint_deadline=complaint_deadline,
        complaint_late=complaint_late,
        count_label=labels.count_label,
        unconfigured_year_label=labels.unconfigured_year_label,
        FIRST_INSPECTION_MONTHS=FIRST_INSPECTION_MONTHS,
        ledger_due=effective_due,
        ledger_overdue=is_overdue,
        DAY_COUNT_LABELS=labels.DAY_COUNT_LABELS,
        DAY_MARK_LABELS=labels.DAY_MARK_LABELS,
        CALENDAR_SOURCE_LABELS=labels.CALENDAR_SOURCE_LABELS,
        HOLIDAY_LABELS=labels.HOLIDAY_LABELS,
    )
