"""The complaint clock: a report's clues are checked within 15 working days.

市场监督管理投诉举报处理暂行办法 Art 23 (15 working days from receipt, extendable by 15);
the app has one clock per complaint, counted from the local date it came in by the
working-day calendar (app.core.workdays), never by calendar days.
"""

from __future__ import annotations

from datetime import date

from app.core.clock import local_date, local_today
from app.core.workdays import COMPLAINT_WORKING_DAYS, Deadline, working_deadline
from app.models import Complaint


def complaint_deadline(complaint: Complaint) -> Deadline:
    """The day by which the complaint must be closed."""
    return working_deadline(local_date(complaint.created_at), COMPLAINT_WORKING_DAYS)


def complaint_late(complaint: Complaint, today: date | None = None) -> bool:
    """Closed after its deadline, or still open past it."""
    return complaint_deadline(complaint).overdue(
        today or local_today(), local_date(complaint.closed_at)
    )
