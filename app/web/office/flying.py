"""飞行检查 in the office: start one from a clue (admins), the list with status, one check."""

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.clock import local_today
from app.core.labels import FLYING_CLUE_LABELS, PLAN_VISIT_STATE_LABELS, REVIEW_STATE_LABELS
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.flying import clues
from app.flying import service as flying
from app.models.plan import FlyingCheck
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.office import bp

LABELS = {
    "FLYING_CLUE_LABELS": FLYING_CLUE_LABELS,
    "PLAN_VISIT_STATE_LABELS": PLAN_VISIT_STATE_LABELS,
    "REVIEW_STATE_LABELS": REVIEW_STATE_LABELS,
}


@bp.record_once
def flying_labels(state) -> None:
    """The labels as globals: a clue's page (complaint, ledger entry, unit) includes the panel."""
    state.app.jinja_env.globals.update(LABELS)


def working_days() -> int:
    """The flying check's deadline in working days (setting FANGXIN_FLYING_WORKING_DAYS)."""
    return int(current_app.config.get("FANGXIN_FLYING_WORKING_DAYS", flying.DEFAULT_WORKING_DAYS))


def check_or_404(check_id: int) -> FlyingCheck:
    """The flying check if the user may see it (an open one: admins only), else 404."""
    check = db.session.get(FlyingCheck, check_id)
    if check is None or not flying.may_see(current_user, check):
        abort(404)
    return check


def clue_or_404() -> clues.Clue:
    """The clue the query string (or form) names: source and id; 404 when there is none."""
    clue_id = request.values.get("id", type=db_int)
    found = clues.find_clue(request.values.get("source", ""), clue_id)
    return found or abort(404)


@bp.get("/flying")
@roles_required(*OFFICE)
def flying_checks():
    """Every flying check the user may see, newest first, with status and result."""
    status = request.args.get("status", "")
    if status not in ("", *flying.STATUSES):
        status = ""
    rows = [
        (c, flying.status_of(c), flying.visit_of(c), flying.result_of(c))
        for c in flying.visible_checks(current_user, status)
    ]
    return render_template("office/flying_list.html", rows=rows, status=status, today=local_today())


@bp.route("/flying/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def flying_new():
    """The start form for a clue; POST records it, draws the pair and goes to the check."""
    clue = clue_or_404()
    existing = flying.checks_for_clue(current_user, clue.kind, clue.id or clue.establishment.id)
    context = {"clue": clue, "existing": existing, "days": working_days()}
    context["deadline"] = flying.deadline_for(local_today(), working_days())
    if request.method == "GET":
        token = secrets.token_urlsafe(24)
        return render_template("office/flying_new.html", token=token, reason="", **context)
    token = request.form.get("token", "")[:64]
    reason = request.form.get("reason", "")
    if len(token) < 16:
        abort(400)
    try:
        check, created = flying.start(current_user, clue, reason, token, working_days())
    except flying.AlreadyOpen as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("office.flying_check", check_id=err.check.id))
    except flying.FlyingRefused as err:
        db.session.rollback()
        flash(str(err), "error")
        html = render_template("office/flying_new.html", token=token, reason=reason, **context)
        return html, 400
    db.session.commit()
    if created:
        flash(_("已发起飞行检查并抽取检查人员。"), "success")
    return redirect(url_for("office.flying_check", check_id=check.id))


@bp.get("/flying/<int:check_id>")
@roles_required(*OFFICE)
def flying_check(check_id: int):
    """One flying check: its clue, reason, the drawn pair and deadline, the result."""
    check = check_or_404(check_id)
    return render_template(
        "office/flying_check.html",
        check=check,
        clue=clues.clue_of(check),
        source=clues.source_of(check.clue_kind),
        status=flying.status_of(check),
        visit=flying.visit_of(check),
        result=flying.result_of(check),
        draw=check.plan.draws[-1] if check.plan.draws else None,
        today=local_today(),
    )


@bp.post("/flying/<int:check_id>/redraw")
@roles_required(*ADMIN)
def flying_redraw(check_id: int):
    """Draw an open check's pair again, with a reason; a refusal is a message."""
    check = check_or_404(check_id)
    try:
        draw = flying.redraw(current_user, check, request.form.get("reason", ""))
    except flying.FlyingRefused as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("office.flying_check", check_id=check.id))
    db.session.commit()
    flash(_("已完成第 %(n)d 次抽取。", n=draw.number), "success")
    return redirect(url_for("office.flying_check", check_id=check.id))


@bp.app_template_global()
def flying_panel(source: str, clue_id: int) -> dict:
    """What a clue's page shows of its flying checks, and whether this user may start one."""
    clue = clues.find_clue(source, clue_id)
    if clue is None or getattr(current_user, "role", None) not in OFFICE:
        return {"rows": [], "can_start": False}
    checks = flying.checks_for_clue(current_user, clue.kind, clue.id or clue.establishment.id)
    rows = [(c, flying.status_of(c), flying.visit_of(c), flying.result_of(c)) for c in checks]
    can_start = current_user.role in ADMIN and clue.problem is None
    return {"rows": rows, "can_start": can_start, "source": source, "id": clue_id}
