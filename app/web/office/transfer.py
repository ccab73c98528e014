"""Bulk import with a mapping and a preview step, and export of the filtered registry.

An upload is staged (app/core/imports) and previewed; nothing is written before confirm,
which claims the staged batch once, so a double click or a replay imports once and shows
the first confirm's result.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.core import imports
from app.core.scope import ADMIN
from app.core.tabular import TableError, read_sheet, write_xlsx
from app.extensions import db
from app.models import ImportBatch
from app.registry.establishments import search_establishments
from app.registry.export import EXPORT_HEADERS, establishment_rows, template_sheets
from app.registry.import_columns import (
    FIELD_LABELS,
    KIND,
    KNOWN_TITLES,
    guess_columns,
    missing_columns,
    remember,
    remembered,
)
from app.registry.importer import check_rows, import_rows
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.import_forms import ConfirmForm, UploadForm, columns_form
from app.web.office.routes import OFFICE, registry_filters
from app.web.plumbing import export_format, spreadsheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/establishments/import", methods=["GET", "POST"])
@roles_required(*ADMIN)
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        imports.purge_expired(current_app.instance_path)
        upload = form.file.data
        name, data = upload.filename or "", upload.read()
        try:
            sheet = read_sheet(name, data, KNOWN_TITLES)
        except TableError as exc:
            db.session.commit()
            form.file.errors.append(str(exc))
        else:
            batch = imports.stage(current_app.instance_path, KIND, name, data, current_user)
            columns = remembered(sheet.header)
            batch.options = {"columns": columns or guess_columns(sheet.header),
                             "remembered": columns is not None}  # fmt: skip
            db.session.commit()
            if missing_columns(batch.options["columns"]):
                return columns_page(
                    batch, sheet, columns_form(sheet.header, batch.options["columns"])
                )
            return preview(batch, sheet)
    return render_template("office/import_upload.html", form=form)


@bp.route("/establishments/import/template.xlsx")
@roles_required(*ADMIN)
def import_template():
    body = write_xlsx(template_sheets())
    disposition = "attachment; filename=establishments-template.xlsx"
    return current_app.response_class(
        body, mimetype=XLSX, headers={"Content-Disposition": disposition}
    )


@bp.route("/establishments/import/<token>/columns", methods=["GET", "POST"])
@roles_required(*ADMIN)
def import_columns(token: str):
    batch, sheet = staged_or_redirect(token)
    if sheet is None:
        return batch
    form = columns_form(sheet.header, batch.options.get("columns", {}))
    if form.validate_on_submit():
        remember(sheet.header, form.chosen())
        batch.options = {"columns": form.chosen(), "remembered": False}
        db.session.commit()
        return preview(batch, sheet)
    return columns_page(batch, sheet, form)


def columns_page(batch: ImportBatch, sheet, form):
    """The mapping step: a select of the file's columns for each of our fields."""
    missing = [str(FIELD_LABELS[f]) for f in missing_columns(batch.options.get("columns", {}))]
    return render_template(
        "office/import_columns.html", form=form, batch=batch, sheet=sheet, missing=missing
    )


def staged_or_redirect(token: str):
    """The unconfirmed batch and its sheet, or (a redirect to the upload page, None)."""
    batch = imports.find(KIND, token)
    data = imports.staged_bytes(current_app.instance_path, batch) if batch else None
    if batch is None or batch.confirmed_at is not None or data is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.import_upload")), None
    return batch, read_sheet(batch.token, data, KNOWN_TITLES)


def preview(batch: ImportBatch, sheet):
    """The preview page: per row what confirm will do, and what the reading skipped."""
    columns = batch.options["columns"]
    rows = check_rows(sheet, columns)
    counts = {a: sum(1 for r in rows if r.action == a) for a in ACTIONS}
    used = [
        (FIELD_LABELS[f], sheet.header[i]) for f, i in sorted(columns.items(), key=lambda c: c[1])
    ]
    return render_template(
        "office/import_preview.html", rows=rows, counts=counts, sheet=sheet, batch=batch,
        used=used, token=batch.token, name=batch.filename,
        bad=[r for r in rows if r.action in ("refused", "duplicate")],
    )  # fmt: skip


ACTIONS = ("new", "update", "unchanged", "duplicate", "refused")


@bp.route("/establishments/import/confirm", methods=["POST"])
@roles_required(*ADMIN)
def import_confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    batch = imports.find(KIND, form.token.data)
    if batch is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.import_upload"))
    if imports.claim(batch):
        refused = run_import(batch, form.mode.data)
        if refused:
            return refused
    return redirect(url_for("office.import_result", token=batch.token))


def run_import(batch: ImportBatch, mode: str):
    """Check the staged file again (the registry may have changed) and write it; None if done."""
    data = imports.staged_bytes(current_app.instance_path, batch)
    if data is None:
        imports.unclaim(batch)
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.import_upload"))
    rows = check_rows(read_sheet(batch.token, data, KNOWN_TITLES), batch.options["columns"])
    if mode == "all" and any(r.action in ("refused", "duplicate") for r in rows):
        imports.unclaim(batch)
        flash(
            _("文件中有错误行，未导入任何数据。请修正后重新上传，或选择只导入正确的行。"), "error"
        )
        return redirect(url_for("office.import_upload"))
    try:
        counts = import_rows(current_user, rows)
        imports.finish(current_app.instance_path, batch, counts)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        imports.unclaim(batch)
        flash(_("数据库拒绝了其中一行，未导入任何数据。请检查文件后重试。"), "error")
        return redirect(url_for("office.import_upload"))
    return None


@bp.route("/establishments/import/<token>/result")
@roles_required(*ADMIN)
def import_result(token: str):
    batch = imports.find(KIND, token)
    if batch is None or batch.confirmed_at is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.import_upload"))
    return render_template("office/import_result.html", batch=batch, result=batch.result or {})


@bp.route("/establishments/export.<fmt>")
@roles_required(*OFFICE)
def export(fmt: str):
    fmt = export_format(fmt)
    stmt = search_establishments(current_user, **registry_filters())
    rows = establishment_rows(stmt)
    return spreadsheet(fmt, "establishments", "单位名录", EXPORT_HEADERS, rows)
