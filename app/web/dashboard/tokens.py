"""The admin's API token page: create (shown once) and revoke."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.api_tokens import create_token, revoke_token
from app.core.scope import ADMIN
from app.extensions import db
from app.models import ApiToken
from app.web.dashboard import bp
from app.web.guards import roles_required


def token_list():
    return db.session.scalars(
        db.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
    )


@bp.route("/api-tokens", methods=["GET", "POST"])
@roles_required(*ADMIN)
def api_tokens():
    plain, error = None, None
    name = request.form.get("name", "").strip()
    if request.method == "POST":
        if not name or len(name) > 100:
            error = _("请填写令牌用途（不超过 100 字），例如“市食安办数据平台”。")
        else:
            _row, plain = create_token(current_user, name)
            db.session.commit()
            name = ""
    return render_template(
        "dashboard/tokens.html", tokens=token_list(), plain=plain, error=error, name=name
    )


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required(*ADMIN)
def api_token_revoke(token_id: int):
    row = db.get_or_404(ApiToken, token_id)
    if row.revoked_at is None:
        revoke_token(current_user, row)
        db.session.commit()
        flash(_("已吊销令牌：%(name)s", name=row.name), "success")
    return redirect(url_for("dashboard.api_tokens"))
