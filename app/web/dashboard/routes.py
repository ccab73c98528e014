"""Dashboard, indicator drill-down and its XLSX export."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from app.core.clock import local_today
from app.core.labels import PLACES_EN, PLAN_CLAUSES_EN, plan_text
from app.core.scope import OFFICE
from app.indicators import get_indicator
from app.indicators.catalogue import (
    COMMON_RULE,
    INDICATORS,
    LEAD_CODES,
    NOT_FROM_INSPECTIONS,
    UNMEASURED,
    WEIGHTED_LISTS,
    lead_text,
)
from app.indicators.charts import percent
from app.indicators.dashboard import build_dashboard
from app.indicators.drill import LISTS, RowPage, drill_query, item_text, not_counted_reason
from app.indicators.export import drill_file
from app.indicators.periods import next_deadline
from app.indicators.rollup import make_scope, rollup
from app.registry.establishments import counts_by_street
from app.web.converters import db_int
from app.web.dashboard import bp
from app.web.dashboard.params import (
    BadLead,
    jurisdiction_options,
    lead_code,
    period_choices,
    read_jurisdiction,
    read_lead,
    read_period,
)
from app.web.guards import roles_required
from app.web.plumbing import XLSX, download, error_page


@bp.app_template_filter("pct")
def pct_filter(value):
    return percent(value)


@bp.app_template_filter("lead")
def lead_filter(lead: str) -> str:
    """A lead agency's name in the reader's language."""
    return lead_text(lead)


@bp.app_template_filter("clause")
def clause_filter(clause: str) -> str:
    """A plan clause (总体目标 2) in the reader's language."""
    return plan_text(PLAN_CLAUSES_EN, clause)


@bp.app_template_filter("place")
def place_filter(name: str) -> str:
    """A place name (the configured city) in the reader's language."""
    return plan_text(PLACES_EN, name)


@bp.app_template_filter("qty")
def qty_filter(value):
    """A count: whole numbers without decimals."""
    return f"{value:g}" if isinstance(value, float) else str(value)


@bp.errorhandler(BadLead)
def bad_lead(exc: BadLead):
    """An unknown ?lead= is the reader's mistake: a 400 saying so, in their language."""
    return error_page(400, str(exc))


def dashboard_page():
    """The office home: indicator cards (of one lead department with ?lead=), the street
    office table, then the registry counts."""
    lead = read_lead()
    period, code = read_period(), read_jurisdiction()
    indicators = [ind for ind in INDICATORS if lead is None or ind.lead == lead]
    streets, table = counts_by_street()
    return render_template(
        "dashboard/home.html",
        **build_dashboard(period, code, indicators),
        jurisdiction=code,
        lead=lead,
        lead_code=lead_code(lead),
        leads=LEAD_CODES,
        unmeasured=UNMEASURED.get(lead, ()) if lead else (),
        not_from_inspections=NOT_FROM_INSPECTIONS,
        deadline=next_deadline(local_today()),
        **pickers(),
        common_rule=COMMON_RULE,
        streets=streets,
        table=table,
    )


def pickers() -> dict:
    """The period and area choices the dashboard pages offer."""
    return {"choices": period_choices(), "units": jurisdiction_options()}


@bp.route("/")
@roles_required(*OFFICE)
def home():
    """The office home is the indicator dashboard, registry counts below it."""
    return dashboard_page()


@bp.route("/dashboard")
@roles_required(*OFFICE)
def dashboard():
    return dashboard_page()


def indicator_or_404(code: str):
    found = get_indicator(code)
    if found is None:
        abort(404)
    return found


@bp.route("/indicators/<code>")
@roles_required(*OFFICE)
def indicator(code: str):
    ind = indicator_or_404(code)
    lead = read_lead()  # only carried back to the dashboard the reader came from
    period, unit = read_period(), read_jurisdiction()
    which = request.args.get("list", "gap")
    which = which if which in LISTS else "gap"
    scope = make_scope(period, unit)
    figures = rollup(ind, scope)
    page = RowPage(
        drill_query(ind, scope, which),
        request.args.get("page", 1, type=db_int),
        current_app.config["FANGXIN_PAGE_SIZE"],
    )
    return render_template(
        "dashboard/indicator.html",
        ind=ind,
        period=period,
        jurisdiction=unit,
        which=which,
        lead_code=lead_code(lead),
        figure=figures[None],
        met=ind.met(figures[None].value),
        page=page,
        **pickers(),
        weighted_lists=WEIGHTED_LISTS,
        not_counted=not_counted_reason,
        item_text=item_text,
    )


@bp.route("/indicators/<code>.xlsx")
@roles_required(*OFFICE)
def indicator_xlsx(code: str):
    ind = indicator_or_404(code)
    period, unit = read_period(), read_jurisdiction()
    name = f"{ind.code}-{period.code}{'-' + unit if unit else ''}.xlsx"
    return download(drill_file(ind, make_scope(period, unit)), XLSX, name)
