"""Lead departments' summaries (工作总结): the office's overview of a period, a department's
form (figures prefilled, three written sections, save / submit, reopen) and its Word file."""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.audit import history
from app.core.clock import local_today
from app.core.labels import SUMMARY_STATUS_LABELS
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import next_deadline
from app.models.types import utcnow
from app.summaries import service
from app.summaries.deadlines import SummaryPeriodError, days_left, deadline, status, summary_period
from app.summaries.document import summary_docx
from app.summaries.figures import summary_figures
from app.web.dashboard import bp
from app.web.dashboard.params import period_choices
from app.web.guards import roles_required
from app.web.plumbing import download, error_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadAddress(Exception):
    """A period or department in the URL that names nothing: (status, Chinese message)."""


def period_and_lead(code: str, lead: str, bad_status: int = 404):
    """The period and lead department of the URL, or BadAddress with the message."""
    try:
        period = summary_period(code)
    except SummaryPeriodError as exc:
        raise BadAddress(bad_status, str(exc)) from exc
    if lead not in LEADS:
        raise BadAddress(404, _("没有这个牵头单位。"))
    return period, lead


@bp.errorhandler(BadAddress)
def bad_request(exc: BadAddress):
    code, message = exc.args
    return error_page(code, message)


@bp.route("/summaries")
@roles_required(*OFFICE)
def summaries():
    """Every lead department × the period (?period=, the next deadline's by default)."""
    today = local_today()
    code = request.args.get("period", "").strip()
    if code:
        try:
            period = summary_period(code)
        except SummaryPeriodError as exc:
            return error_page(400, str(exc))
    else:
        period = next_deadline(today)[1]
    choices = [p for p in period_choices() if p.kind in ("quarter", "year")]
    if period not in choices:
        choices.insert(0, period)
    return render_template(
        "dashboard/summaries.html",
        period=period,
        rows=service.overview(period, today),
        due=deadline(period),
        days_left=days_left(period, today),
        choices=choices,
        labels=SUMMARY_STATUS_LABELS,
        rule=service.RULE,
        writable={lead for lead in LEADS if service.may_edit(current_user, lead)},
    )


def form_page(period, lead, status_code: int = 200, typed=None):
    today = local_today()
    summary = service.find(lead, period)
    state = status(summary, period, today)
    page = render_template(
        "dashboard/summary.html",
        period=period,
        lead=lead,
        summary=summary,
        status=state,
        labels=SUMMARY_STATUS_LABELS,
        due=deadline(period),
        days_left=days_left(period, today),
        started=period.start <= today,
        editable=service.may_edit(current_user, lead)
        and (summary is None or summary.state != "submitted"),
        may_reopen=service.may_reopen(current_user) and state in ("submitted", "submitted_late"),
        sections=service.SECTIONS,
        typed=typed,
        figs=summary_figures(summary, period, lead),
        events=history(summary) if summary else [],
        rule=service.RULE,
    )
    return page, status_code


@bp.route("/summaries/<code>/<lead>", methods=["GET", "POST"])
@roles_required(*OFFICE)
def summary(code: str, lead: str):
    """A department's summary: read by the office; saved or submitted by those may_edit allows
    (admins any department, a viewer its own lead department)."""
    period, lead = period_and_lead(code, lead)
    if request.method == "GET":
        return form_page(period, lead)
    if not service.may_edit(current_user, lead):
        abort(403)
    submitting = request.form.get("action") == "submit"
    step = service.submit if submitting else service.save
    try:
        step(current_user, lead, period, request.form, utcnow())
    except service.SummaryError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return form_page(period, lead, 422, request.form)
    db.session.commit()
    flash(_("已提交市食安办。") if submitting else _("已保存为草稿。"), "success")
    return redirect(url_for("dashboard.summary", code=period.code, lead=lead))


@bp.route("/summaries/<code>/<lead>/reopen", methods=["POST"])
@roles_required(*ADMIN)
def summary_reopen(code: str, lead: str):
    """Send a submitted summary back to draft, with the reason (admins)."""
    period, lead = period_and_lead(code, lead)
    try:
        found = service.find(lead, period)
        service.reopen(current_user, found, period, request.form.get("reason", ""))
    except service.SummaryError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return form_page(period, lead, 422)
    db.session.commit()
    flash(_("已退回，可重新填写。"), "success")
    return redirect(url_for("dashboard.summary", code=period.code, lead=lead))


@bp.route("/summaries/<code>/<lead>/download.docx")
@roles_required(*OFFICE)
def summary_download(code: str, lead: str):
    """The written summary with its figures as a Word document."""
    period, lead = period_and_lead(code, lead)
    found = service.find(lead, period)
    state = status(found, period, local_today())
    city = current_app.config["FANGXIN_CITY_NAME"]
    data = summary_docx(city, lead, period, found, state)
    name = f"summary-{period.code}-{LEADS.index(lead)}.docx"
    return download(io.BytesIO(data), DOCX, name)
