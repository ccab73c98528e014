"""考核: street offices ranked by score for a period, and the XLSX of it."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from app.assessment.export import assessment_file
from app.assessment.scoring import RULE, assess, unweighted
from app.core.clock import local_today
from app.core.scope import OFFICE
from app.indicators.periods import PeriodError, parse_period, quarter_of
from app.web.dashboard import bp
from app.web.dashboard.params import period_choices
from app.web.guards import roles_required
from app.web.plumbing import XLSX, download, error_page

BAD_PERIOD = _l("统计期无法识别（示例：2024Q3、2024 或 2024-01-01_2024-03-31）。")


def asked_period(code: str):
    """The period, or None when the code cannot be read."""
    try:
        return parse_period(code)
    except PeriodError:
        return None


@bp.route("/assessment")
@roles_required(*OFFICE)
def assessment():
    """The ranking for ?period= (this quarter by default); a bad period is a 400."""
    code = request.args.get("period", "").strip()
    period = asked_period(code) if code else quarter_of(local_today())
    if period is None:
        return error_page(400, str(BAD_PERIOD))
    return render_template(
        "dashboard/assessment.html",
        period=period,
        scores=assess(period),
        unweighted=unweighted(),
        rule=RULE,
        periods=period_choices(),
    )


@bp.route("/assessment/<code>.xlsx")
@roles_required(*OFFICE)
def assessment_download(code: str):
    """The ranking as a workbook; an unknown period is a 404 with the message."""
    period = asked_period(code)
    if period is None:
        return error_page(404, str(BAD_PERIOD))
    return download(assessment_file(period, assess(period)), XLSX, f"assessment-{period.code}.xlsx")
