"""The inspector's home and establishment page: their own jurisdictions, on a phone."""

from flask import current_app, render_template, request
from flask_login import current_user

from app.access import roles_required, visible_establishment
from app.checklists import programmes_for_category
from app.extensions import db
from app.field import bp
from app.inspection_queries import history_of, latest_by_establishment
from app.inspections import drafts_of
from app.registry import search_establishments

FIELD = ("inspector", "admin")


@bp.route("/")
@roles_required(*FIELD)
def home():
    q = request.args.get("q", "").strip()
    page = db.paginate(
        search_establishments(current_user, q=q),
        per_page=current_app.config["FANGXIN_PAGE_SIZE"],
        error_out=False,
    )
    latest = latest_by_establishment(est.id for est in page.items)
    return render_template("field/home.html", page=page, q=q, latest=latest)


@bp.route("/establishments/<int:est_id>")
@roles_required(*FIELD)
def establishment(est_id: int):
    est = visible_establishment(current_user, est_id)
    return render_template(
        "field/establishment.html",
        est=est,
        programmes=programmes_for_category(est.category),
        drafts=drafts_of(current_user, est),
        history=history_of(est),
    )
