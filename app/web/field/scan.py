"""The in-app scanner: the camera reads a placard's QR on the device and opens its page."""

from flask import current_app, render_template

from app.web.field import bp
from app.web.field.routes import FIELD
from app.web.guards import roles_required


@bp.route("/scan")
@roles_required(*FIELD)
def scan():
    return render_template(
        "field/scan.html", public_base=current_app.config["FANGXIN_PUBLIC_BASE_URL"]
    )
