"""The offline pages: one shell the service worker keeps, rendered on the phone from the
working set (GET /api/v1/field/offline-set) — due list, establishments, codes, checklists,
and the outbox (待上传) of inspections and photos still to send."""

from flask import render_template

from app.web.field import bp
from app.web.field.routes import FIELD
from app.web.guards import roles_required


@bp.route("/offline")
@roles_required(*FIELD)
def offline():
    return render_template("field/offline.html")
