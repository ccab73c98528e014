"""The office's typical cases (典型案例): list, write, publish, withdraw."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cases.privacy import operator_label
from app.cases.service import (
    CaseError,
    all_cases,
    create_case,
    from_source,
    problems_of,
    publish,
    update_case,
    withdraw,
)
from app.core.audit import history
from app.core.labels import CASE_SOURCE_LABELS, CASE_STATE_LABELS
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.indicators.rollup import top_units
from app.models.case import TypicalCase
from app.models.establishment import CATEGORIES
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.office import bp


def case_or_404(case_id: int) -> TypicalCase:
    case = db.session.get(TypicalCase, case_id)
    if case is None:
        abort(404)
    return case


def whole_number(text: str) -> int | None:
    """A positive id typed in the form, None when empty; CaseError when not a number."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = db_int(text) if text.isdigit() else 0
    except ValueError:
        number = 0
    if number < 1:
        raise CaseError(_("编号须为正整数。"))
    return number


def form_values(form) -> dict:
    """The case as typed; a linked record supplies the unit, street office and category."""
    typed = (form.get("occurred_on") or "").strip()
    try:
        day = date.fromisoformat(typed) if typed else None
    except ValueError:
        day = None
    street = whole_number(form.get("jurisdiction_id", ""))
    values = {name: form.get(name, "") for name in ("title", "found", "handling")}
    values |= {name: form.get(name, "") for name in ("penalty", "legal_basis")}
    values |= {"occurred_on": day, "jurisdiction_id": street, "establishment_id": None}
    values |= {"category": form.get("category", "") if form.get("category") in CATEGORIES else ""}
    values["show_operator_name"] = form.get("show_operator_name") == "1"
    linked = from_source(form.get("source_kind", ""), whole_number(form.get("source_id", "")))
    if typed and "occurred_on" in linked:
        linked.pop("occurred_on")
    return values | linked


def form_page(case: TypicalCase | None, status: int = 200, form=None):
    """The edit page, with what was typed when a save was refused."""
    page = render_template(
        "office/case_form.html",
        case=case,
        form=form,
        streets=top_units(),
        categories=CATEGORIES,
        sources=CASE_SOURCE_LABELS,
        states=CASE_STATE_LABELS,
        operator=operator_label(case) if case else "",
        problems=problems_of(case) if case else [],
        events=history(case) if case else [],
    )
    return page, status


@bp.route("/cases")
@roles_required(*OFFICE)
def cases():
    """Every case with its state."""
    return render_template("office/cases.html", cases=all_cases(), states=CASE_STATE_LABELS)


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def case_new():
    """Write a new draft, stand-alone or from an inspection, ledger entry or complaint."""
    if request.method == "GET":
        return form_page(None, form=request.args)
    try:
        case = create_case(current_user, form_values(request.form))
    except CaseError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return form_page(None, 422, request.form)
    db.session.commit()
    flash(_("已保存为草稿。"), "success")
    return redirect(url_for("office.case_edit", case_id=case.id))


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@roles_required(*OFFICE)
def case_edit(case_id: int):
    """A case: viewers read it, admins change it."""
    case = case_or_404(case_id)
    if request.method == "GET":
        return form_page(case)
    if current_user.role not in ADMIN:
        abort(403)
    try:
        update_case(current_user, case, form_values(request.form))
    except CaseError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return form_page(case_or_404(case_id), 422, request.form)
    db.session.commit()
    flash(_("已保存。"), "success")
    return redirect(url_for("office.case_edit", case_id=case.id))


@bp.route("/cases/<int:case_id>/publish", methods=["POST"])
@roles_required(*ADMIN)
def case_publish(case_id: int):
    """Publish, or say in Chinese what personal data stops it."""
    return state_change(case_id, lambda case: publish(current_user, case), _("已发布到公开页面。"))


@bp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
@roles_required(*ADMIN)
def case_withdraw(case_id: int):
    """Take a case off the public page, with the reason."""
    reason = request.form.get("reason", "")
    return state_change(
        case_id, lambda case: withdraw(current_user, case, reason), _("已从公开页面撤回。")
    )


def state_change(case_id: int, change, done: str):
    case = case_or_404(case_id)
    try:
        change(case)
    except CaseError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return form_page(case_or_404(case_id), 422)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("office.case_edit", case_id=case_id))
