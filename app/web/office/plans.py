"""The office's inspection plans (双随机): list, create/edit, draw, redraw, the draw record."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.labels import PLAN_KIND_LABELS, PLAN_VISIT_STATE_LABELS
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.flying import service as flying
from app.models import InspectionPlan, PlanDraw, User
from app.plans import draws, visits
from app.plans.service import all_plans, save_plan
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.plan_forms import DEFAULT_WEIGHTS, PlanForm


def render(template: str, **context) -> str:
    """A plan page with the plan labels."""
    labels = {
        "PLAN_KIND_LABELS": PLAN_KIND_LABELS,
        "PLAN_VISIT_STATE_LABELS": PLAN_VISIT_STATE_LABELS,
    }
    return render_template(template, **labels, **context)


def plan_or_404(plan_id: int) -> InspectionPlan:
    """The plan, or 404; a flying check's plan only for those who may see the check."""
    plan = db.session.get(InspectionPlan, plan_id) or abort(404)
    if plan.kind == "flying" and not flying.may_see(current_user, plan.flying):
        abort(404)
    return plan


def editable_plan_or_404(plan_id: int) -> InspectionPlan:
    """A plan the plan form and the draw button may change: not a flying check's."""
    plan = plan_or_404(plan_id)
    if plan.kind == "flying":
        abort(404)
    return plan


@bp.get("/plans")
@roles_required(*OFFICE)
def plans():
    """Every plan with its draw in force and visit progress."""
    rows = [(p, draws.live_draw(p), visits.progress(p)) for p in all_plans()]
    return render("office/plans.html", rows=rows)


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def plan_new():
    return plan_form_page(None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def plan_edit(plan_id: int):
    return plan_form_page(editable_plan_or_404(plan_id))


def plan_form_page(plan: InspectionPlan | None):
    """Show the form, or save it and go to the plan."""
    form = PlanForm(obj=plan) if plan else PlanForm()
    if plan and request.method == "GET":
        form.jurisdiction_ids.data = [j.id for j in plan.jurisdictions]
        form.inspector_ids.data = [u.id for u in plan.inspectors]
        weights = {**DEFAULT_WEIGHTS, **plan.risk_weights}
        for grade, field in zip("ABCD", "abcd", strict=True):
            getattr(form, f"weight_{field}").data = weights[grade]
        form.weight_none.data = weights[""]
    if not form.validate_on_submit():
        return render("office/plan_form.html", form=form, plan=plan)
    values = {name: form[name].data for name in ("name", "kind", "lead_department", "note")}
    values.update(
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        categories=list(form.categories.data),
        quota_kind=form.quota_kind.data,
        quota=form.quota.data,
        risk_weights=form.weights(),
        bad_record_factor=float(form.bad_record_factor.data),
        recuse_area_inspector=form.recuse_area_inspector.data,
        recuse_last_pair=form.recuse_last_pair.data,
    )
    plan = save_plan(
        current_user, plan, values, form.jurisdiction_ids.data, form.inspector_ids.data
    )
    db.session.commit()
    flash(_("计划已保存。"), "success")
    return redirect(url_for("office.plan", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>")
@roles_required(*OFFICE)
def plan(plan_id: int):
    """The plan, its draws (in force and superseded) and its visits."""
    found = plan_or_404(plan_id)
    if found.kind == "flying":  # a flying check's one-unit plan: its own page says it all
        return redirect(url_for("office.flying_check", check_id=found.flying.id))
    live = draws.live_draw(found)
    return render(
        "office/plan.html",
        plan=found,
        live=live,
        progress=visits.progress(found),
    )


@bp.post("/plans/<int:plan_id>/draw")
@roles_required(*ADMIN)
def plan_draw(plan_id: int):
    """Run the draw (or a redraw with its reason); a refusal is a message, nothing changes."""
    found = editable_plan_or_404(plan_id)
    reason = request.form.get("reason", "")[:1000]
    try:
        draw = draws.run_draw(found, current_user, reason)
    except draws.DrawError as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("office.plan", plan_id=found.id))
    db.session.commit()
    flash(_("已完成第 %(n)d 次抽取。", n=draw.number), "success")
    return redirect(url_for("office.plan_draw_record", draw_id=draw.id))


@bp.get("/plan-draws/<int:draw_id>")
@roles_required(*OFFICE)
def plan_draw_record(draw_id: int):
    """The draw record: seed, method, frozen lists, result and the replay check."""
    draw = db.session.get(PlanDraw, draw_id) or abort(404)
    plan_or_404(draw.plan_id)  # a flying check's draw: unseen while the check is open
    ests = {e["id"]: e for e in draw.eligible_establishments}
    people = {i["id"]: i for i in draw.eligible_inspectors}
    return render(
        "office/plan_draw.html",
        draw=draw,
        ests=ests,
        people=people,
        replays=draws.replays(draw),
        drawn_by=db.session.get(User, draw.drawn_by_id) if draw.drawn_by_id else None,
    )
