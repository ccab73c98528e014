"""The office's review queue (审核) and publication clock (一公开): approve, return, what is due."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.labels import INSPECTION_TYPE_LABELS, REVIEW_STATE_LABELS
from app.core.scope import OFFICE, REVIEWERS, establishment_scope
from app.core.workdays import WORKING
from app.extensions import db
from app.models import Establishment, Inspection
from app.public import cache as page_cache
from app.publication import clock, review
from app.web.guards import establishment_or_404, roles_required
from app.web.office import bp


def in_scope():
    """Inspections of establishments the signed-in user may see."""
    return Inspection.establishment_id.in_(
        db.select(Establishment.id).where(establishment_scope(current_user))
    )


@bp.route("/publication")
@roles_required(*OFFICE)
def publication():
    scope = in_scope()
    return render_template(
        "office/publication.html",
        queue=review.queue(scope=scope),
        due=clock.due_to_publish(scope=scope),
        late=clock.published_late(scope=scope),
        days=clock.PUBLISH_WORKING_DAYS,
        unit=WORKING,
        may_review=lambda insp: review.may_review(current_user, insp),
        TYPE_LABELS=INSPECTION_TYPE_LABELS,
        STATE_LABELS=REVIEW_STATE_LABELS,
    )


@bp.route("/inspections/<int:insp_id>/review", methods=["POST"])
@roles_required(*REVIEWERS)
def inspection_review(insp_id: int):
    found = db.session.get(Inspection, insp_id)
    if found is None or found.status != "submitted":
        abort(404)
    establishment_or_404(found.establishment_id)
    decision, note = request.form.get("decision", ""), request.form.get("note", "")
    act = {"approve": review.approve, "return": review.return_result}.get(decision)
    if act is None:
        flash(_("请选择审核通过或退回。"), "error")
        return redirect(url_for("office.publication"), 303)
    try:
        act(current_user, found, note)
    except review.ReviewRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("office.publication"), 303)
    db.session.commit()
    page_cache.forget(found.establishment.qr_token)  # the placard shows it at once here
    done = _("已审核通过并公示。") if decision == "approve" else _("已退回检查员修改。")
    flash(done, "success")
    return redirect(url_for("office.publication"), 303)
