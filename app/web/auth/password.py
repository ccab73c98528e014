"""Choosing a new password, and the gate that holds a one-time password to that page.

Also the "demo data" banner's template global (the banner is on every page, staff and public).
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.core.accounts import change_own_password
from app.demo.guard import demo_present
from app.extensions import db
from app.web.auth import bp
from app.web.auth.forms import ChangePasswordForm
from app.web.guards import is_safe_next

# What a user holding a one-time password may still reach.
OPEN_ENDPOINTS = {
    "static",
    "auth.change_password",
    "auth.logout",
    "auth.logout_everywhere",
    "auth.set_language",
}


@bp.app_template_global("demo_data_present")
def demo_data_present() -> bool:
    """Whether the banner saying demo data is loaded shows (cached per process)."""
    return demo_present()


@bp.before_app_request
def hold_one_time_password():
    """Send a user who must change their password to that page, from anywhere else."""
    if request.endpoint in OPEN_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    target = request.full_path if request.method == "GET" else ""
    return redirect(url_for("auth.change_password", next=target.rstrip("?")))


def current_password_ok(form: ChangePasswordForm) -> bool:
    """A one-time password was just typed at sign-in; otherwise the current one is asked."""
    if current_user.must_change_password or current_user.check_password(form.current.data or ""):
        return True
    form.current.errors.append(_("当前密码不正确。"))
    return False


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and current_password_ok(form):
        if current_user.check_password(form.password.data):
            form.password.errors.append(_("新密码不能与当前密码相同。"))
        else:
            user = current_user._get_current_object()
            change_own_password(user, form.password.data)  # ends every sign-in, opens a new one
            db.session.commit()
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remembered in request.cookies)  # this browser stays in
            flash(_("密码已修改。"), "success")
            target = request.args.get("next", "")
            return redirect(target if is_safe_next(target) else url_for("auth.index"))
    forced = current_user.must_change_password
    return render_template("auth/password.html", form=form, forced=forced)
