"""Office registry: establishment list, detail, create, edit and close."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.scope import ADMIN, OFFICE
from app.extensions import db
from app.inspections.queries import history_of
from app.inspections.reinspection import open_request
from app.photos import service as photo_service
from app.registry.establishments import (
    close_establishment,
    create_establishment,
    reopen_establishment,
    search_establishments,
    update_establishment,
)
from app.web.converters import db_int
from app.web.guards import establishment_or_404, roles_required
from app.web.office import bp
from app.web.office.forms import CloseForm, EstablishmentForm
from app.web.plumbing import filtered_list


def registry_filters() -> dict:
    """The list filters from the query string, cleaned."""
    return {
        "q": request.args.get("q", "").strip(),
        "category": request.args.get("category", ""),
        "jurisdiction_id": request.args.get("jurisdiction_id", type=db_int),
        "active": request.args.get("active", "active"),
    }


@bp.route("/establishments")
@roles_required(*OFFICE)
def establishments():
    return filtered_list("office/establishments.html", search_establishments, registry_filters())


@bp.route("/establishments/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def establishment_new():
    form = EstablishmentForm()
    if form.validate_on_submit():
        est = create_establishment(current_user, **form.values())
        db.session.commit()
        flash(_("已登记：%(name)s", name=est.name), "success")
        return redirect(url_for("office.establishment", est_id=est.id))
    return render_template("office/establishment_form.html", form=form, est=None)


@bp.route("/establishments/<int:est_id>")
@roles_required(*OFFICE)
def establishment(est_id: int):
    est = establishment_or_404(est_id)
    history = audit.history(est)
    return render_template(
        "office/establishment.html",
        est=est,
        history=history,
        inspections=history_of(est),
        close_form=CloseForm(),
        photos=photo_service.photos_for_establishment(est),
        reinspection=open_request(est),
    )


@bp.route("/establishments/<int:est_id>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def establishment_edit(est_id: int):
    est = establishment_or_404(est_id)
    form = EstablishmentForm(obj=est, editing_id=est.id)
    if form.validate_on_submit():
        changes = update_establishment(current_user, est, **form.values())
        db.session.commit()
        flash(_("已保存修改。") if changes else _("没有改动。"), "success")
        return redirect(url_for("office.establishment", est_id=est.id))
    return render_template("office/establishment_form.html", form=form, est=est)


@bp.route("/establishments/<int:est_id>/close", methods=["POST"])
@roles_required(*ADMIN)
def establishment_close(est_id: int):
    est = establishment_or_404(est_id)
    form = CloseForm()
    if form.validate_on_submit() and est.active:
        close_establishment(current_user, est, form.reason.data.strip())
        db.session.commit()
        flash(_("已注销：%(name)s", name=est.name), "success")
    elif est.active:
        flash(_("请填写注销原因。"), "error")
    return redirect(url_for("office.establishment", est_id=est.id))


@bp.route("/establishments/<int:est_id>/reopen", methods=["POST"])
@roles_required(*ADMIN)
def establishment_reopen(est_id: int):
    est = establishment_or_404(est_id)
    if not est.active:
        reopen_establishment(current_user, est)
        db.session.commit()
        flash(_("已恢复：%(name)s", name=est.name), "success")
    return redirect(url_for("office.establishment", est_id=est.id))
