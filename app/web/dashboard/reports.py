"""Report pages: the list of periods with their deadlines, a printable report, its XLSX."""

from flask import Response, abort, render_template, request

from app.core.clock import local_today
from app.core.scope import OFFICE
from app.indicators.catalogue import LEADS, NOT_FROM_INSPECTIONS, UNMEASURED
from app.indicators.periods import PeriodError, next_deadline, parse_period, report_deadlines
from app.indicators.reports import report_data, report_workbook
from app.web.dashboard import bp
from app.web.dashboard.params import period_choices
from app.web.guards import roles_required


def period_or_404(code: str):
    try:
        return parse_period(code)
    except PeriodError:
        abort(404)


def read_lead() -> str | None:
    lead = request.args.get("lead", "")
    return lead if lead in LEADS else None


def deadline_of(period) -> object:
    """The plan's deadline for a quarter or year report (None for custom ranges)."""
    for when, p in report_deadlines(period.start.year):
        if p == period:
            return when
    return None


@bp.route("/reports")
@roles_required(*OFFICE)
def reports():
    rows = [(p, deadline_of(p)) for p in period_choices()]
    return render_template(
        "dashboard/reports.html", rows=rows, leads=LEADS, deadline=next_deadline(local_today())
    )


@bp.route("/reports/<code>")
@roles_required(*OFFICE)
def report(code: str):
    period = period_or_404(code)
    lead = read_lead()
    return render_template(
        "dashboard/report.html",
        **report_data(period, lead),
        leads=LEADS,
        deadline=deadline_of(period),
        # a department whose targets no data measures says so instead of an empty table
        unmeasured=UNMEASURED.get(lead, ()) if lead else (),
        not_from_inspections=NOT_FROM_INSPECTIONS,
    )


@bp.route("/reports/<code>.xlsx")
@roles_required(*OFFICE)
def report_download(code: str):
    period = period_or_404(code)
    lead = read_lead()
    name = f"report-{period.code}{'-' + str(LEADS.index(lead)) if lead else ''}.xlsx"
    return Response(
        report_workbook(period, lead),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
