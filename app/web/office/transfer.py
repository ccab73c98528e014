"""Bulk import with a preview step, and export of the filtered registry."""

import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired, Regexp

from app.core.scope import ADMIN
from app.core.tabular import TableError, read_table
from app.extensions import db
from app.registry.establishments import search_establishments
from app.registry.export import EXPORT_HEADERS, establishment_rows
from app.registry.importer import check_rows, import_rows
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.routes import OFFICE, registry_filters
from app.web.plumbing import export_format, spreadsheet


class UploadForm(FlaskForm):
    file = FileField(_l("名录文件（.xlsx 或 .csv）"), validators=[FileRequired(_l("请选择文件。"))])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}\.(csv|xlsx)$")])
    mode = HiddenField(validators=[AnyOf(["all", "good"])])


def pending_dir() -> Path:
    """Where an uploaded register waits between preview and confirm."""
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(exist_ok=True)
    return path


@bp.route("/establishments/import", methods=["GET", "POST"])
@roles_required(*ADMIN)
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            rows = check_rows(read_table(upload.filename or "", data))
        except TableError as exc:
            form.file.errors.append(str(exc))
        else:
            suffix = ".xlsx" if upload.filename.lower().endswith(".xlsx") else ".csv"
            token = secrets.token_urlsafe(18) + suffix
            (pending_dir() / token).write_bytes(data)
            bad = [r for r in rows if r.errors]
            return render_template(
                "office/import_preview.html", rows=rows, bad=bad, token=token, name=upload.filename
            )
    return render_template("office/import_upload.html", form=form)


@bp.route("/establishments/import/confirm", methods=["POST"])
@roles_required(*ADMIN)
def import_confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = pending_dir() / form.token.data
    if not path.exists():
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.import_upload"))
    # Check again: the registry may have changed since the preview.
    rows = check_rows(read_table(path.name, path.read_bytes()))
    if form.mode.data == "all" and any(r.errors for r in rows):
        flash(
            _("文件中有错误行，未导入任何数据。请修正后重新上传，或选择只导入正确的行。"), "error"
        )
        return redirect(url_for("office.import_upload"))
    count = import_rows(current_user, rows)
    db.session.commit()
    path.unlink()
    flash(_("已导入 %(n)d 个单位。", n=count), "success")
    return redirect(url_for("office.establishments"))


@bp.route("/establishments/export.<fmt>")
@roles_required(*OFFICE)
def export(fmt: str):
    fmt = export_format(fmt)
    stmt = search_establishments(current_user, **registry_filters())
    rows = establishment_rows(stmt)
    return spreadsheet(fmt, "establishments", "单位名录", EXPORT_HEADERS, rows)
