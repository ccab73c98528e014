"""POST /api/v1/inspections: a whole inspection in one JSON request (the offline client).

Session-authenticated with the X-CSRFToken header; the same checks and service as the
HTML flow. 201 created, 200 replay of a known client_uuid, 422 {errors}, 404, 403.
"""

from collections.abc import Mapping

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.inspections import signatures
from app.inspections.submission import SubmitRefused, UuidConflict, normal_uuid, submit_data
from app.web.api import bp
from app.web.guards import establishment_or_404, roles_required

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
    for name in ("second_inspector", "operator_rep", "signature"):
        if not isinstance(data.get(name) or "", str):
            messages.append(_("%(name)s 须为文本", name=name))
    return messages


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
        est_id = data.get("establishment_id")
        if not isinstance(est_id, int) or isinstance(est_id, bool):
            abort(404)
        establishment = establishment_or_404(est_id)
    problems = shape_problems(data)
    if problems:
        return {"errors": problems}, 422
    answers = {k: {p: v.get(p) for p in ANSWER_PARTS} for k, v in data["answers"].items()}
    people = {name: data.get(name) or "" for name in ("second_inspector", "operator_rep")}
    try:
        inspection, created = submit_data(
            current_user,
            establishment,
            data["programme"],
            normal_uuid(data["client_uuid"]),
            answers,
            data.get("fields") or {},
            people,
            signature_key(data),
            verify_ids=verify_ids(data),
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
    }
    return body, 201 if created else 200


def verify_ids(data: dict) -> list[int]:
    """Ledger entries the follow-up inspection found fixed (`verify_actions`: [id, ...])."""
    ids = data.get("verify_actions") or []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []
