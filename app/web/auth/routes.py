"""Sign in, sign out, home and language routes."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core import sessions
from app.core.accounts import sign_in, sign_out_everywhere
from app.core.scope import is_inspector
from app.extensions import db, login_manager
from app.models import User
from app.web.auth import bp
from app.web.auth.forms import LoginForm
from app.web.guards import is_safe_next


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a live sign-in; None once it is revoked (checked on every request)."""
    return sessions.load(session_id)


def home_for(user: User) -> str:
    """Where a user lands after signing in: the field for inspectors, the office otherwise."""
    return url_for("field.home") if is_inspector(user) else url_for("dashboard.home")


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = sign_in(form.username.data, form.password.data, request.remote_addr)
        if result.user:
            login_user(result.user, remember=form.remember.data)
            target = form.next.data
            return redirect(target if is_safe_next(target) else home_for(result.user))
        if result.wait_seconds:
            flash(locked_message(result), "error")
        else:
            flash(_("用户名或密码不正确。"), "error")
    return render_template("auth/login.html", form=form)


def locked_message(result) -> str:
    """Why a sign-in was refused unchecked, and for how many minutes."""
    minutes = -(-result.wait_seconds // 60)
    if result.locked_scope == "address":
        return _("此网络地址登录失败次数过多，已暂时限制登录，请 %(n)d 分钟后再试。", n=minutes)
    return _("登录失败次数过多，该账号已暂时锁定，请 %(n)d 分钟后再试。", n=minutes)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.close_session(current_user.session_id)
    db.session.commit()
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """Sign out on every device (a lost phone, a shared computer): every sign-in ends."""
    sign_out_everywhere(current_user, current_user)
    db.session.commit()
    logout_user()
    flash(_("已在所有设备上退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("auth.index"))
