"""The in-app scanner: the camera reads a placard's QR on the device and opens its page."""

from flask import current_app, render_template

from app.core.scope import roles_required
from app.web.field import bp
from app.web.field.routes import FIELD


@bp.route("/scan")
@roles_required(*FIELD)
def scan():
    return render_template(
        "field/scan.html", public_base=current_app.config["FANGXIN_PUBLIC_BASE_URL"]
    )
