"""The complaint queue: list and filter, assign, reply, move open → in progress → closed."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit, labels
from app.core.clock import local_today
from app.core.labels import REWARD_LABELS
from app.core.scope import (
    ADMIN,
    COMPLAINT_HANDLERS,
    COMPLAINT_READERS,
    can_edit,
    is_inspector,
    visible_establishment,
)
from app.extensions import db
from app.models import User
from app.public import clusters
from app.public import complaint_clock as clock
from app.public.complaint_rules import format_receipt
from app.public.complaints import (
    advance,
    assign,
    assignable_inspectors,
    can_handle,
    clean_text,
    complaint_photos,
    save_reply,
    search_complaints,
    visible_complaint,
)
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.office import bp
from app.web.plumbing import filtered_list

REPLY_MAX = 2000


def complaint_filters() -> dict:
    """The queue filters from the query string, cleaned."""
    return {
        "state": request.args.get("state", ""),
        "kind": request.args.get("kind", ""),
        "jurisdiction_id": request.args.get("jurisdiction_id", type=db_int),
        "q": request.args.get("q", "").strip(),
    }


def _handled(complaint_id: int):
    """The complaint if the current user may act on it (404 unseen, 403 read-only)."""
    complaint = visible_complaint(current_user, complaint_id)
    if complaint is None:
        abort(404)
    if not can_handle(current_user, complaint):
        abort(403)
    return complaint


def render_detail(
    found,
    draft: str | None = None,
    error: str | None = None,
    code: int = 200,
    identity=None,
):
    """The complaint page; a rejected reply comes back in the box with its message.

    identity: an insider's identity, shown only on the page that asked for it (audited).
    """
    html = render_template(
        "office/complaint.html",
        c=found,
        can_handle=can_handle(current_user, found),
        can_act=current_user.role in COMPLAINT_HANDLERS,
        steps=clock.steps(found),
        stage=labels.COMPLAINT_STAGE_LABELS[clock.stage(found)],
        kind=labels.COMPLAINT_KIND_LABELS[found.kind],
        can_extend=clock.can_extend(found),
        receipt=format_receipt(found.receipt_code),
        identity=identity,
        REWARD_LABELS=REWARD_LABELS,
        today=local_today(),
        inspectors=assignable_inspectors() if can_edit(current_user) else [],
        history=audit.history(found, oldest_first=True),
        draft=found.reply if draft is None else draft,
        error=error,
        photos=complaint_photos(found) if sees_establishment(found) else None,
        similar=clusters.similar_to(current_user, found),
    )
    return html, code


def sees_establishment(found) -> bool:
    """Photos are served only to users who may see the establishment (see app.media)."""
    return visible_establishment(current_user, found.establishment_id) is not None


@bp.route("/complaints")
@roles_required(*COMPLAINT_READERS)
def complaints():
    def fold(items):  # near-duplicates folded under the newest one, with their count
        return clusters.fold(current_user, items)

    return filtered_list(
        "office/complaints.html",
        search_complaints,
        complaint_filters(),
        fold=fold,
        stage_of=clock.stage,
        next_step=clock.next_step,
        STAGE_LABELS=labels.COMPLAINT_STAGE_LABELS,
        KIND_LABELS=labels.COMPLAINT_KIND_LABELS,
    )


@bp.route("/complaints/<int:complaint_id>/similar")
@roles_required(*COMPLAINT_READERS)
def complaint_similar(complaint_id: int):
    found = visible_complaint(current_user, complaint_id)
    if found is None:
        abort(404)
    similar = clusters.similar_to(current_user, found)
    return render_template("office/complaints_similar.html", c=found, similar=similar)


@bp.route("/complaints/<int:complaint_id>")
@roles_required(*COMPLAINT_READERS)
def complaint(complaint_id: int):
    found = visible_complaint(current_user, complaint_id)
    if found is None:
        abort(404)
    return render_detail(found)


@bp.route("/complaints/<int:complaint_id>/assign", methods=["POST"])
@roles_required(*ADMIN)
def complaint_assign(complaint_id: int):
    found = _handled(complaint_id)
    inspector = db.session.get(User, request.form.get("inspector_id", type=db_int) or 0)
    if inspector is None or not is_inspector(inspector) or not inspector.active:
        flash(_("请选择一位在岗的检查员。"), "error")
    else:
        assign(current_user, found, inspector)
        db.session.commit()
        flash(_("已分派给 %(name)s。", name=inspector.display_name), "success")
    return redirect(url_for("office.complaint", complaint_id=found.id))


@bp.route("/complaints/<int:complaint_id>/reply", methods=["POST"])
@roles_required(*COMPLAINT_HANDLERS)
def complaint_reply(complaint_id: int):
    found = _handled(complaint_id)
    text = clean_text(request.form.get("reply", ""))  # CRLF counted once, as the box does
    if len(text) > REPLY_MAX:
        return render_detail(found, text, _("处理意见不能超过 %(n)d 字。", n=REPLY_MAX), 400)
    if request.form.get("step") != "advance":
        save_reply(current_user, found, text)
        db.session.commit()
        flash(_("已保存处理意见。"), "success")
        return redirect(url_for("office.complaint", complaint_id=found.id))
    try:
        state = advance(current_user, found, text)
    except ValueError as exc:
        return render_detail(found, text, str(exc), 400)
    db.session.commit()
    flash(_("已办结。") if state == "closed" else _("已开始处理。"), "success")
    return redirect(url_for("office.complaint", complaint_id=found.id))
