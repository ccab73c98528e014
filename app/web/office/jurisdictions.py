"""The office's areas (admins): the tree, create, rename, move, merge, close, and import."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.core import audit, imports
from app.core.scope import ADMIN
from app.core.tabular import TableError
from app.extensions import db
from app.models import Jurisdiction
from app.models.jurisdiction import JURISDICTION_KINDS, TOP_KINDS
from app.registry import jurisdiction_import as area_import
from app.registry import jurisdictions as units
from app.registry.jurisdictions import JurisdictionError
from app.web.guards import roles_required
from app.web.office import bp
from app.web.office.jurisdiction_forms import (
    CloseForm,
    ConfirmForm,
    JurisdictionForm,
    MergeForm,
    MoveForm,
    RenameForm,
    UploadForm,
)


def unit_or_404(unit_id: int) -> Jurisdiction:
    """The unit, or a 404."""
    unit = db.session.get(Jurisdiction, unit_id)
    if unit is None:
        abort(404)
    return unit


def attempt(change, *args) -> str | None:
    """Run a domain change for the signed-in admin and commit; the refusal's message, if any."""
    try:
        change(current_user, *args)
        db.session.commit()
    except JurisdictionError as exc:
        db.session.rollback()
        return str(exc)
    except IntegrityError:  # another admin took the code a moment ago
        db.session.rollback()
        return _("编码已被使用，请换一个编码。")
    return None


@bp.route("/jurisdictions")
@roles_required(*ADMIN)
def jurisdictions():
    return render_template("office/jurisdictions.html", tree=units.tree(), KINDS=JURISDICTION_KINDS)


@bp.route("/jurisdictions/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def jurisdiction_new():
    form = JurisdictionForm()
    if form.validate_on_submit():
        parent = db.session.get(Jurisdiction, form.parent_id.data) if form.parent_id.data else None
        fields = (form.code.data, form.name.data, form.kind.data, parent)
        error = attempt(units.create, *fields)
        if error is None:
            flash(_("已新建辖区 %(name)s。", name=form.name.data), "success")
            return redirect(url_for("office.jurisdictions"))
        form.code.errors.append(error)
    return render_template("office/jurisdictions_new.html", form=form)


def unit_page(unit: Jurisdiction, **forms):
    """The unit's page with its forms (those given keep their errors)."""
    top, blank = unit.kind in TOP_KINDS, {"formdata": None}  # not filled from another form's POST
    values = {"name": unit.name, "kind": unit.kind}
    forms.setdefault("rename", RenameForm(top=top, data=values, **blank))
    forms.setdefault("move", MoveForm(data={"parent_id": unit.parent_id}, **blank))
    forms.setdefault("merge", MergeForm(unit=unit, **blank))
    forms.setdefault("close", CloseForm(**blank))
    return render_template(
        "office/jurisdictions_unit.html",
        unit=unit,
        forms=forms,
        top=top,
        KINDS=JURISDICTION_KINDS,
        establishments=len(units.active_establishments(unit)),
        history=audit.history(unit),
    )


@bp.route("/jurisdictions/<int:unit_id>")
@roles_required(*ADMIN)
def jurisdiction(unit_id: int):
    return unit_page(unit_or_404(unit_id))


def done(unit: Jurisdiction, error: str | None, message: str):
    """Back to the unit's page, saying what happened."""
    flash(error or message, "error" if error else "success")
    return redirect(url_for("office.jurisdiction", unit_id=unit.id))


@bp.route("/jurisdictions/<int:unit_id>/rename", methods=["POST"])
@roles_required(*ADMIN)
def jurisdiction_rename(unit_id: int):
    unit = unit_or_404(unit_id)
    form = RenameForm(top=unit.kind in TOP_KINDS)
    if not form.validate_on_submit():
        return unit_page(unit, rename=form), 400
    error = attempt(units.rename, unit, form.name.data, form.kind.data)
    return done(unit, error, _("已保存。"))


@bp.route("/jurisdictions/<int:unit_id>/move", methods=["POST"])
@roles_required(*ADMIN)
def jurisdiction_move(unit_id: int):
    unit = unit_or_404(unit_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return unit_page(unit, move=form), 400
    error = attempt(units.move, unit, db.session.get(Jurisdiction, form.parent_id.data))
    return done(unit, error, _("已调整上级。"))


@bp.route("/jurisdictions/<int:unit_id>/merge", methods=["POST"])
@roles_required(*ADMIN)
def jurisdiction_merge(unit_id: int):
    unit = unit_or_404(unit_id)
    form = MergeForm(unit=unit)
    if not form.validate_on_submit():
        return unit_page(unit, merge=form), 400
    target = db.session.get(Jurisdiction, form.target_id.data)
    error = attempt(units.merge, unit, target)
    return done(unit, error, _("已并入 %(name)s。", name=target.name))


@bp.route("/jurisdictions/<int:unit_id>/close", methods=["POST"])
@roles_required(*ADMIN)
def jurisdiction_close(unit_id: int):
    unit = unit_or_404(unit_id)
    if not CloseForm().validate_on_submit():
        abort(400)
    return done(unit, attempt(units.close, unit), _("已撤销 %(name)s。", name=unit.name))


@bp.route("/jurisdictions/import", methods=["GET", "POST"])
@roles_required(*ADMIN)
def jurisdictions_import():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data, name = upload.read(), upload.filename or ""
        try:
            rows = area_import.read_rows(name, data)
        except TableError as exc:
            form.file.errors.append(str(exc))
        else:
            imports.purge_expired(current_app.instance_path)  # unconfirmed uploads hold data
            batch = imports.stage(
                current_app.instance_path, area_import.KIND, name, data, current_user
            )
            db.session.commit()
            return render_template(
                "office/jurisdictions_preview.html", rows=rows, token=batch.token, name=name,
                KINDS=JURISDICTION_KINDS, counts=outcome_counts(rows),
            )  # fmt: skip
    return render_template("office/jurisdictions_import.html", form=form)


def outcome_counts(rows) -> dict[str, int]:
    """How many rows of each outcome."""
    counts = dict.fromkeys(("new", "update", "same", "refused"), 0)
    for row in rows:
        counts[row.outcome] += 1
    return counts


@bp.route("/jurisdictions/import/confirm", methods=["POST"])
@roles_required(*ADMIN)
def jurisdictions_import_confirm():
    form = ConfirmForm()
    batch = imports.find(area_import.KIND, form.token.data or "") if form.validate() else None
    if batch is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.jurisdictions_import"))
    try:
        result, replay = area_import.confirm(current_app.instance_path, batch, current_user)
    except (TableError, JurisdictionError) as exc:
        flash(_("未导入任何数据：%(reason)s", reason=str(exc)), "error")
        return redirect(url_for("office.jurisdictions_import"))
    if result is None:
        flash(_("预览已过期，请重新上传文件。"), "error")
        return redirect(url_for("office.jurisdictions_import"))
    db.session.commit()
    flash(confirmed_message(result, replay), "success")
    return redirect(url_for("office.jurisdictions"))


def confirmed_message(result: dict, replay: bool) -> str:
    """What the import did; a replayed confirm says it was imported already."""
    text = _(
        "新建 %(new)d 个，更新 %(update)d 个，未变 %(same)d 个，拒绝 %(refused)d 个。",
        **{k: result.get(k, 0) for k in ("new", "update", "same", "refused")},
    )
    return _("该文件已导入过，没有重复导入。") + text if replay else _("已导入辖区：") + text
