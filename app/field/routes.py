"""The inspector's home: the establishments in their own jurisdictions."""

from flask import current_app, render_template, request
from flask_login import current_user

from app import photo_service
from app.access import roles_required, visible_establishment
from app.extensions import db
from app.field import bp
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
    return render_template("field/home.html", page=page, q=q)


@bp.route("/establishments/<int:est_id>")
@roles_required(*FIELD)
def establishment(est_id: int):
    est = visible_establishment(current_user, est_id)
    photos = photo_service.photos_for_establishment(est)
    return render_template("field/establishment.html", est=est, photos=photos)
