"""POST /api/v1/inspections: a whole inspection in one JSON request (the offline client).

Session-authenticated with the X-CSRFToken header; the same checks and service as the
HTML flow. 201 created, 200 replay of a known client_uuid, 422 {errors}, 404, 403.
The offline client adds checklist_version, started_at, presence and photos (finished
uploads); `notices` in the answer say in plain Chinese what the offline rules did.
"""

from collections.abc import Mapping
from datetime import UTC, datetime

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.inspections import offline_rules, record_form, signatures
from app.inspections.submission import SubmitRefused, UuidConflict, normal_uuid
from app.inspections.whole import submit_data
from app.models.types import utcnow
from app.web.api import bp
from app.web.converters import db_id_or_none
from app.web.guards import roles_required

ANSWER_PARTS = ("result", "note", "handling", "due_date")


def shape_problems(data) -> list[str]:
    """Messages for a body that is not the documented shape."""
    if not isinstance(data, Mapping):
        return [_("请求内容须为 JSON 对象")]
    messages = []
    if normal_uuid(data.get("client_uuid")) is None:
        messages.append(_("client_uuid 缺失或格式无效"))
    if not isinstance(data.get("programme"), str) or not data.get("programme"):
        messages.append(_("programme 缺失"))
    answers = data.get("answers")
    if not isinstance(answers, Mapping) or any(
        not isinstance(a, Mapping) for a in answers.values()
    ):
        messages.append(_("answers 须为 {检查项: {result, note, handling, due_date}}"))
    if not isinstance(data.get("fields", {}), Mapping):
        messages.append(_("fields 须为对象"))
    texts = ("second_inspector", "operator_rep", "signature", "checklist_version")
    for name in (*texts, "inspection_type", "sign_refusal_reason", "sign_witness"):
        if not isinstance(data.get(name) or "", str):
            messages.append(_("%(name)s 须为文本", name=name))
    if not isinstance(data.get("sign_refused", False), bool):
        messages.append(_("sign_refused 须为 true 或 false"))
    if not isinstance(data.get("presence") or {}, Mapping):
        messages.append(_("presence 须为对象"))
    if photo_refs(data) is None:
        messages.append(_("photos 须为 [{item_id, upload}]"))
    return messages


def photo_refs(data: Mapping) -> dict[str, list[str]] | None:
    """The finished uploads by item (`photos`: [{item_id, upload}]); None when malformed."""
    refs = data.get("photos") or []
    if not isinstance(refs, list):
        return None
    out: dict[str, list[str]] = {}
    for ref in refs:
        item, token = (
            (ref.get("item_id"), ref.get("upload")) if isinstance(ref, Mapping) else (0, 0)
        )
        if not isinstance(item, str) or not isinstance(token, str):
            return None
        out.setdefault(item, []).append(token)
    return out


def started_at(data: Mapping) -> datetime | None:
    """When the phone started the draft (`started_at`, ISO 8601), as UTC; None if unusable."""
    try:
        when = datetime.fromisoformat(str(data.get("started_at")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo else None


def submitted_establishment(data: Mapping):
    """(establishment, notice) for the body's establishment_id; 404 when not the user's."""
    est_id = data.get("establishment_id")
    if not isinstance(est_id, int) or db_id_or_none(est_id) is None:
        abort(404)  # also for 2⁶⁴: no row has it, and the database could not compare it
    found, notice = offline_rules.establishment_for_submit(
        current_user, est_id, started_at(data), utcnow()
    )
    if found is None:
        abort(404)
    return found, notice


def signature_key(data) -> str | None:
    """The stored signature's key, when one was sent (SubmitRefused when unusable)."""
    if not data.get("signature"):
        return None
    try:
        return signatures.store(data["signature"])
    except signatures.SignatureError as exc:
        raise SubmitRefused([str(exc)]) from None


@bp.post("/inspections")
@roles_required(*FIELD)
def submit_inspection():
    data = request.get_json(silent=True)
    if isinstance(data, Mapping):
        establishment, moved = submitted_establishment(data)
    problems = shape_problems(data)
    if problems:
        return {"errors": problems}, 422
    answers = {k: {p: v.get(p) for p in ANSWER_PARTS} for k, v in data["answers"].items()}
    people = {name: data.get(name) or "" for name in ("second_inspector", "operator_rep")}
    # Absent in a submit queued before these existed: the defaults (日常, signed) stay.
    people |= {name: data[name] for name in record_form.RECORD_FIELDS if name in data}
    try:
        inspection, created, notices = submit_data(
            current_user,
            establishment,
            data["programme"],
            normal_uuid(data["client_uuid"]),
            answers,
            data.get("fields") or {},
            people,
            signature_key(data),
            verify_ids=verify_ids(data),
            version=data.get("checklist_version") or None,
            photo_uploads=photo_refs(data),
            config=current_app.config,
            fixes=data.get("presence"),
        )
    except SubmitRefused as refused:
        return {"errors": refused.messages}, 422
    except UuidConflict:
        return {"errors": [_("该 client_uuid 已用于另一条检查记录")]}, 409
    body = {
        "id": inspection.id,
        "url": url_for("field.sheet", insp_id=inspection.id),
        "outcome": inspection.outcome,
        "grade": inspection.grade,
        "five_goods_met": inspection.five_goods_met,
        "client_uuid": inspection.client_uuid,
        "notices": ([moved] if moved and created else []) + notices,
    }
    return body, 201 if created else 200


def verify_ids(data: dict) -> list[int]:
    """Ledger entries the follow-up inspection found fixed (`verify_actions`: [id, ...])."""
    ids = data.get("verify_actions") or []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and db_id_or_none(i) is not None]
