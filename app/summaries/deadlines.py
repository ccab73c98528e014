"""When a lead department's summary is due, and where it stands against that date.

The plan (工作措施): quarterly summaries by the 20th of the quarter's last month, the annual
summary by 20 November, in local (Asia/Shanghai) dates. Due on the 20th means that a
summary submitted on the 20th is on time and one submitted on the 21st is late.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.core.clock import local_date
from app.indicators.periods import Period, PeriodError, parse_period

# Where a summary stands; labels: app.core.labels.SUMMARY_STATUS_LABELS
STATUSES = ("not_started", "draft", "submitted", "late", "submitted_late")
ANNUAL_DEADLINE = (11, 20)  # month, day
QUARTER_DAY = 20  # of the quarter's last month


class SummaryPeriodError(ValueError):
    """A period code that names no quarter or year; the message is Chinese."""


def summary_period(code: str) -> Period:
    """The quarter or year a summary is about; SummaryPeriodError for anything else."""
    try:
        period = parse_period(code)
    except PeriodError as exc:
        raise SummaryPeriodError(
            _("统计期无法识别：工作总结按季度（如 2024Q3）或年度（如 2024）填写。")
        ) from exc
    if period.kind not in ("quarter", "year"):
        raise SummaryPeriodError(
            _("工作总结按季度（如 2024Q3）或年度（如 2024）填写，不按日期区间。")
        )
    return period


def deadline(period: Period) -> date:
    """The last local date on which the period's summary is on time."""
    year = period.start.year
    if period.kind == "year":
        return date(year, *ANNUAL_DEADLINE)
    if period.kind == "quarter":
        last_month = period.start.month + 2
        return date(year, last_month, QUARTER_DAY)
    raise SummaryPeriodError(_("工作总结按季度或年度填写，不按日期区间。"))


def status(summary, period: Period, today: date) -> str:
    """not_started, draft, submitted, late (not submitted after the deadline) or
    submitted_late (submitted after it); `summary` is a DepartmentSummary or None."""
    due = deadline(period)
    if summary is not None and summary.state == "submitted":
        return "submitted_late" if local_date(summary.submitted_at) > due else "submitted"
    if today > due:
        return "late"
    return "draft" if summary is not None else "not_started"


def days_left(period: Period, today: date) -> int:
    """Days from today to the deadline (0 on the day, negative once it has passed)."""
    return (deadline(period) - today).days
