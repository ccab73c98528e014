"""The public page of typical cases (典型案例): published ones only, no login."""

from flask import abort, make_response, render_template

from app.cases.privacy import operator_label
from app.cases.service import published_case, published_cases
from app.models.establishment import CATEGORIES
from app.web.public import bp
from app.web.public.routes import cacheable


@bp.route("/cases")
def cases():
    """Every published case, newest first."""
    page = render_template("public/cases.html", cases=published_cases(), operator=operator_label)
    return cacheable(make_response(page))


@bp.route("/cases/<int:case_id>")
def case(case_id: int):
    """One published case; drafts and withdrawn cases are not found."""
    found = published_case(case_id)
    if found is None:
        abort(404)
    page = render_template(
        "public/case.html", case=found, operator=operator_label(found), categories=CATEGORIES
    )
    return cacheable(make_response(page))
