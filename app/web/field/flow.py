"""The inspection flow on a phone: start, checklist with drafts, review, submit, result sheet."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.clock import format_local
from app.extensions import db
from app.inspections import ledger, presence, record_form, signatures
from app.inspections.amendments import amend, can_amend
from app.inspections.drafts import (
    answers_of,
    programme_of,
    section_progress,
    start_or_resume_draft,
)
from app.inspections.queries import revisions_of
from app.inspections.submission import (
    SubmitRefused,
    preview,
    problems,
    score_of,
    submit,
)
from app.models import Inspection
from app.photos import StorageFull
from app.photos import service as photo_service
from app.plans import visits as plan_visits
from app.web.converters import db_int
from app.web.field import bp
from app.web.field.formdata import (
    answers_from_form,
    fields_from_form,
    people_from_form,
    uploads_from_form,
    values_from_form,
    values_of,
)
from app.web.field.routes import FIELD
from app.web.guards import establishment_or_404, roles_required
from app.web.plumbing import allow_photos_in_form

PHOTOS_PER_FORM = 10  # photos a checklist posted without JavaScript may carry at once


# Without JavaScript the checklist, and always an amendment, brings its photos along: one
# photo per request would refuse the whole form, answers and all, for a second photo.
allow_photos_in_form(bp, "field.save", PHOTOS_PER_FORM)
allow_photos_in_form(bp, "field.amend_form", PHOTOS_PER_FORM)


def visible_inspection(insp_id: int) -> Inspection:
    """An inspection the user may see: 404 outside their area, and for others' drafts."""
    inspection = db.session.get(Inspection, insp_id)
    if inspection is None:
        abort(404)
    establishment_or_404(inspection.establishment_id)
    if inspection.status == "draft" and inspection.inspector_id != current_user.id:
        abort(404)
    return inspection


@bp.post("/establishments/<int:est_id>/inspect/<code>")
@roles_required(*FIELD)
def start(est_id: int, code: str):
    est = establishment_or_404(est_id)
    if not est.active:
        flash(_("该单位已注销，不能检查。"), "error")
        return redirect(url_for("field.establishment", est_id=est.id))
    try:
        draft = start_or_resume_draft(
            current_user, est, code, request.form.get("inspection_type") or None
        )
    except (KeyError, ValueError):
        abort(404)
    presence.record(draft, "start", presence.from_form(request.form, "start"))
    db.session.commit()
    return redirect(url_for("field.checklist", insp_id=draft.id))


@bp.get("/inspections/<int:insp_id>")
@roles_required(*FIELD)
def checklist(insp_id: int):
    inspection = visible_inspection(insp_id)
    if inspection.status != "draft":
        return redirect(url_for("field.sheet", insp_id=inspection.id))
    return render_checklist(inspection, values_of(inspection))


def render_checklist(inspection, values, mode="draft", messages=(), reason="", status=200):
    programme = programme_of(inspection)
    return (
        render_template(
            "field/checklist.html",
            inspection=inspection,
            programme=programme,
            values=values,
            progress=section_progress(programme, values["answers"]),
            mode=mode,
            messages=messages,
            reason=reason,
            photos_by_item=photo_service.photos_by_item(inspection),
        ),
        status,
    )


def save_from_form(inspection: Inspection) -> signatures.DraftSaved:
    """Save the posted form into the draft (a refused signature is reported, not fatal)."""
    programme = programme_of(inspection)
    saved = signatures.save_draft(
        inspection,
        answers_from_form(programme, request.form),
        fields_from_form(programme, request.form),
        people_from_form(request.form),
        request.form.get("signature", ""),
    )
    db.session.commit()
    return saved


@bp.post("/inspections/<int:insp_id>")
@roles_required(*FIELD)
def save(insp_id: int):
    inspection = visible_inspection(insp_id)
    if inspection.status != "draft":
        flash(_("该检查已提交，不能再修改。"), "error")
        return redirect(url_for("field.sheet", insp_id=inspection.id))
    saved = save_from_form(inspection)
    refused = photo_service.attach_form_files(
        current_user, inspection, request.files, config=current_app.config
    )
    db.session.commit()
    if saved.storage_full or refused.storage_full:
        # The answers are saved; the page says what was not, with the photo store full.
        kept = _("草稿已保存 %(t)s", t=format_local(inspection.updated_at, "%H:%M"))
        messages = [*saved.warnings, *refused, kept]
        return render_checklist(inspection, values_of(inspection), messages=messages, status=507)
    for message in [*saved.warnings, *refused]:
        flash(message, "error")
    if request.form.get("action") == "review" and not refused:
        return redirect(url_for("field.review", insp_id=inspection.id))
    flash(_("草稿已保存 %(t)s", t=format_local(inspection.updated_at, "%H:%M")), "success")
    return redirect(url_for("field.checklist", insp_id=inspection.id))


@bp.post("/inspections/<int:insp_id>/draft")
@roles_required(*FIELD)
def autosave(insp_id: int):
    inspection = visible_inspection(insp_id)
    if inspection.status != "draft":
        url = url_for("field.sheet", insp_id=inspection.id)
        return {"error": _("该检查已提交，不能再修改。"), "url": url}, 409
    saved = save_from_form(inspection)
    body = {
        "saved_at": format_local(inspection.updated_at, "%H:%M"),
        "updated_at": int(inspection.updated_at.timestamp() * 1000),
        "warnings": saved.warnings,
    }
    if saved.storage_full:  # answers saved, signature not: the phone keeps it and says so
        return body | {"error": StorageFull().message, "permanent": True, "saved": True}, 507
    return body


@bp.get("/inspections/<int:insp_id>/review")
@roles_required(*FIELD)
def review(insp_id: int):
    inspection = visible_inspection(insp_id)
    if inspection.status != "draft":
        return redirect(url_for("field.sheet", insp_id=inspection.id))
    return render_review(inspection, problems(inspection))


def render_review(inspection: Inspection, messages: list[str], status: int = 200):
    programme = programme_of(inspection)
    return (
        render_template(
            "field/review.html",
            inspection=inspection,
            programme=programme,
            score=preview(inspection),
            answers=answers_of(inspection),
            messages=messages,
            anchors=anchors(programme),
            entries=ledger.open_entries_for(inspection.establishment),
            photos=photo_service.photos_by_item(inspection),
        ),
        status,
    )


def anchors(programme) -> dict[str, str]:
    """The checklist anchor of each 【item text】 or 【field label】 a message starts with."""
    links = {f"【{item.text}】": f"item-{item.id}" for item in programme.items}
    links |= {f"【{f.label}】": f"field-{f.id}" for f in programme.fields}
    links["【" + _("第二名检查人员") + "】"] = "second_inspector"
    links["【" + _("经营者代表") + "】"] = "operator_rep"
    links["【" + _("检查类型") + "】"] = "inspection_type"
    links["【" + _("拒绝签字原因") + "】"] = "sign_refusal_reason"
    links["【" + _("见证人") + "】"] = "sign_witness"
    return links


@bp.post("/inspections/<int:insp_id>/submit")
@roles_required(*FIELD)
def do_submit(insp_id: int):
    inspection = visible_inspection(insp_id)
    if request.form.get("client_uuid") != inspection.client_uuid:
        abort(400)
    try:
        chosen = request.form.getlist("verify_action", type=db_int)
        fixes = {m: presence.from_form(request.form, m) for m in presence.MOMENTS}
        inspection = submit(current_user, inspection, chosen, fixes)
    except SubmitRefused as refused:
        return render_review(inspection, refused.messages, 422)
    flash(_("检查已提交。"), "success")
    return redirect(url_for("field.sheet", insp_id=inspection.id))


@bp.get("/inspections/<int:insp_id>/sheet")
@login_required
def sheet(insp_id: int):
    inspection = visible_inspection(insp_id)
    if inspection.status != "submitted":
        return redirect(url_for("field.checklist", insp_id=inspection.id))
    return render_template(
        "field/sheet.html",
        inspection=inspection,
        programme=programme_of(inspection),
        revisions=revisions_of(inspection),
        score=score_of(inspection),
        can_amend=can_amend(current_user, inspection),
        photos=photo_service.photos_by_item(inspection),
        authority=record_form.authority_name(current_app.config),
        second_certificate=second_certificate(inspection),
        plan_visit=plan_visits.visit_of_inspection(inspection),
    )


def second_certificate(inspection: Inspection) -> str:
    """The second inspector's 执法证号: the drawn partner's account, else found by name."""
    if visit := plan_visits.visit_of_inspection(inspection):
        return plan_visits.partner_of(visit, inspection.inspector).enforcement_certificate_no
    return record_form.certificate_of(inspection.second_inspector)


@bp.get("/inspections/<int:insp_id>/signature.png")
@login_required
def signature(insp_id: int):
    inspection = visible_inspection(insp_id)
    data = signatures.load(inspection.signature_key)
    if data is None:
        abort(404)
    # Signatures are small; reading them whole avoids holding a file open per response.
    return Response(data, mimetype="image/png", headers={"Cache-Control": "private, no-store"})


@bp.route("/inspections/<int:insp_id>/amend", methods=["GET", "POST"])
@roles_required(*FIELD)
def amend_form(insp_id: int):
    inspection = visible_inspection(insp_id)
    if not can_amend(current_user, inspection):
        abort(403)
    if request.method == "GET":
        return render_checklist(inspection, values_of(inspection), mode="amend")
    programme = programme_of(inspection)
    try:
        new = amend(
            current_user,
            inspection,
            request.form.get("reason", ""),
            answers_from_form(programme, request.form),
            fields_from_form(programme, request.form),
            people_from_form(request.form),
            request.files,
            uploads_from_form(programme, request.form),
        )
    except SubmitRefused as refused:
        values = values_from_form(programme, request.form)
        reason = request.form.get("reason", "")
        return render_checklist(inspection, values, "amend", refused.messages, reason, 422)
    flash(_("已保存修改，生成第 %(n)d 版。", n=new.revision), "success")
    return redirect(url_for("field.sheet", insp_id=new.id))
