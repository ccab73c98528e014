"""Bulk import of users: upload, preview per row, one confirm (replay-safe), passwords once."""

import base64

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from app.core import imports
from app.core.scope import ADMIN
from app.core.tabular import TableError, write_csv
from app.core.user_import import apply_rows, read_users, summary
from app.extensions import db
from app.web.guards import roles_required
from app.web.office import bp
from app.web.plumbing import spreadsheet

KIND = "users"
TEMPLATE_HEADERS = ["用户名", "姓名", "电话", "角色", "辖区"]
EXAMPLE = ["zhangsan", "张三", "13800000000", "检查员", "新区街道、千秋路街道"]


class UserUploadForm(FlaskForm):
    file = FileField(_l("用户名单（.xlsx 或 .csv）"), validators=[FileRequired(_l("请选择文件。"))])


class UserConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required(*ADMIN)
def user_import():
    form = UserUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        imports.purge_expired(current_app.instance_path)  # unconfirmed uploads hold data
        try:
            sheet, rows = read_users(upload.filename or "", data)
        except TableError as exc:
            form.file.errors.append(str(exc))
        else:
            batch = imports.stage(
                current_app.instance_path, KIND, upload.filename, data, current_user
            )
            db.session.commit()
            return render_template(
                "office/user_import_preview.html",
                sheet=sheet,
                rows=rows,
                counts=summary(rows),
                batch=batch,
            )
    return render_template("office/user_import.html", form=form)


@bp.route("/users/import/template.xlsx")
@roles_required(*ADMIN)
def user_import_template():
    return spreadsheet("xlsx", "users-template", "用户", TEMPLATE_HEADERS, [EXAMPLE])


@bp.route("/users/import/confirm", methods=["POST"])
@roles_required(*ADMIN)
def user_import_confirm():
    form = UserConfirmForm()
    batch = imports.find(KIND, form.token.data or "") if form.validate_on_submit() else None
    if batch is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.user_import"))
    if batch.confirmed_at is not None or not imports.claim(batch):
        return render_template("office/user_import_result.html", counts=batch.result, replay=True)
    data = imports.staged_bytes(current_app.instance_path, batch)
    if data is None:
        imports.unclaim(batch)
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.user_import"))
    return import_staged(batch, data)


def import_staged(batch, data: bytes):
    """Check the staged file again (users may have changed since the preview) and apply it."""
    try:
        _sheet, rows = read_users(batch.token, data)
        counts, passwords = apply_rows(current_user, rows)
        imports.finish(current_app.instance_path, batch, counts)
        db.session.commit()
    except (TableError, IntegrityError):
        db.session.rollback()
        imports.unclaim(batch)
        flash(_("导入未完成：名单在预览后有变化，请重新上传文件。"), "error")
        return redirect(url_for("office.user_import"))
    page = render_template(
        "office/user_import_result.html",
        counts=counts,
        passwords=passwords,
        csv_link=passwords_csv(passwords),
        replay=False,
    )
    return page, 200, {"Cache-Control": "no-store"}  # the passwords must not be kept anywhere


def passwords_csv(passwords: list[tuple[str, str, str]]) -> str:
    """The new accounts' one-time passwords as a data: link (made here, stored nowhere)."""
    body = write_csv([_("用户名"), _("姓名"), _("一次性密码")], [list(p) for p in passwords])
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(body).decode("ascii")
