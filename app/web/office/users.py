"""User management for the admin: create, edit role and jurisdictions, deactivate, reset."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core import audit
from app.core.accounts import create_user, one_time_password, reset_password, update_user
from app.core.scope import ADMIN
from app.extensions import db
from app.models import User
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.user_forms import NewUserForm, PasswordForm, UserForm


@bp.route("/users")
@roles_required(*ADMIN)
def users():
    rows = db.session.scalars(db.select(User).order_by(User.active.desc(), User.username))
    return render_template("office/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def user_new():
    form = NewUserForm()
    if form.validate_on_submit():
        user = create_user(
            current_user,
            username=form.username.data,
            display_name=form.display_name.data,
            role=form.role.data,
            password=form.password.data,
            phone=form.phone.data,
            enforcement_certificate_no=form.enforcement_certificate_no.data,
            lead=form.chosen_lead(),
            jurisdictions=form.chosen_jurisdictions(),
            one_time=True,
        )
        user.active = form.active.data
        db.session.commit()
        flash(_("已创建用户 %(u)s。", u=user.username), "success")
        return redirect(url_for("office.users"))
    return render_template("office/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMIN)
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.jurisdictions.data = [j.id for j in user.jurisdictions]
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data not in ADMIN or not form.active.data):
            flash(_("不能停用自己或取消自己的管理员角色。"), "error")
        else:
            update_user(
                current_user,
                user,
                display_name=form.display_name.data,
                phone=form.phone.data,
                enforcement_certificate_no=form.enforcement_certificate_no.data,
                role=form.role.data,
                lead=form.chosen_lead(),
                active=form.active.data,
                jurisdictions=form.chosen_jurisdictions(),
            )
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("office.users"))
    history = audit.history(user)
    return render_template(
        "office/user_form.html", form=form, user=user, pw_form=PasswordForm(), history=history
    )


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(*ADMIN)
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        reset_password(current_user, user, form.password.data)
        db.session.commit()
        flash(
            _("已重置 %(u)s 的密码：这是一次性密码，用户下次登录时须设置新密码。", u=user.username),
            "success",
        )
    else:
        flash(" ".join(form.password.errors) or _("请输入新密码。"), "error")
    return redirect(url_for("office.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/one-time-password", methods=["POST"])
@roles_required(*ADMIN)
def user_one_time_password(user_id: int):
    user = db.get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    password = one_time_password()
    reset_password(current_user, user, password)
    db.session.commit()
    page = render_template("office/user_password_once.html", user=user, password=password)
    return page, 200, {"Cache-Control": "no-store"}  # shown once, kept nowhere


from app.web.office import user_import  # noqa: E402,F401  (its routes: the bulk import)
