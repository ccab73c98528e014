"""Public lists of plan results (一公开): every plan with drawn visits, and each plan's results."""

from flask import abort, make_response, render_template

from app.extensions import db
from app.models import InspectionPlan
from app.publication import public
from app.web.public import bp
from app.web.public.routes import PUBLIC_LABELS, cacheable


@bp.route("/plans")
def plans():
    html = render_template("public/plans.html", plans=public.public_plans())
    return cacheable(make_response(html))


@bp.route("/plans/<int:plan_id>")
def plan(plan_id: int):
    found = db.session.get(InspectionPlan, plan_id)
    if found is None or found not in public.public_plans():
        abort(404)
    html = render_template(
        "public/plan.html", plan=found, results=public.plan_results(found), **PUBLIC_LABELS
    )
    return cacheable(make_response(html))
