"""POST /api/v1/attempts: a visit that could not inspect (未能检查), recorded with no signal.

The offline client's outbox sends it like an inspection: session-authenticated with the
X-CSRFToken header, the same service as the establishment page's form. 201 recorded, 200
replay of a known client_uuid, 422 {errors}, 409 a client_uuid of another inspector's
record, 404 a unit that is not the user's.
"""

from collections.abc import Mapping

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import FIELD
from app.inspections.attempts import AttemptRefused, by_uuid, record_attempt
from app.inspections.submission import normal_uuid
from app.web.api import bp
from app.web.api.inspections import started_at, submitted_establishment
from app.web.guards import roles_required

TEXTS = ("reason", "note", "inspection_type")


def shape_problems(data: Mapping) -> list[str]:
    """Messages for a body that is not the documented shape."""
    messages = []
    if normal_uuid(data.get("client_uuid")) is None:
        messages.append(_("client_uuid 缺失或格式无效"))
    for name in TEXTS:
        if not isinstance(data.get(name) or "", str):
            messages.append(_("%(name)s 须为文本", name=name))
    return messages


@bp.post("/attempts")
@roles_required(*FIELD)
def record_offline_attempt():
    data = request.get_json(silent=True)
    if not isinstance(data, Mapping):
        return {"errors": [_("请求内容须为 JSON 对象")]}, 422
    # The unit is read as an offline inspection's is: moved out meanwhile still counts.
    establishment, _moved = submitted_establishment(data | {"started_at": data.get("attempted_at")})
    problems = shape_problems(data)
    if problems:
        return {"errors": problems}, 422
    client_uuid = normal_uuid(data["client_uuid"])
    known = by_uuid(client_uuid)
    if known is not None and (known.inspector_id, known.establishment_id) != (
        current_user.id,
        establishment.id,
    ):
        return {"errors": [_("该 client_uuid 已用于另一条记录")]}, 409
    try:
        attempt = known or record_attempt(
            current_user,
            establishment,
            data.get("reason") or "",
            data.get("note") or "",
            data.get("inspection_type") or "routine",
            client_uuid=client_uuid,
            config=current_app.config,
            attempted_at=started_at({"started_at": data.get("attempted_at")}),
        )
    except AttemptRefused as refused:
        return {"errors": refused.messages}, 422
    url = url_for("field.establishment", est_id=attempt.establishment_id)
    return {"id": attempt.id, "url": url, "notices": []}, 200 if known else 201
