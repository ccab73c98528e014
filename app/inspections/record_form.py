"""What the national record form (食品安全监督检查结果记录表) adds to an inspection.

The inspection type, the operator's refusal to sign (reason and witness, Art 34 of
总局令第49号), the issuing authority and the inspectors' 执法证号. The HTML form, the
JSON API and the offline outbox send the same names; a payload without them (an old
queued submit) keeps the defaults: 日常, signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from app.extensions import db
from app.models import Inspection, User
from app.models.inspection import INSPECTION_TYPES

RECORD_FIELDS = ("inspection_type", "sign_refused", "sign_refusal_reason", "sign_witness")
TRUE_WORDS = {"1", "true", "on", "yes"}
REASON_MAX = 500
WITNESS_MAX = 100


def authority_name(config: Mapping[str, Any]) -> str:
    """The issuing authority: configured, or the city's 市场监督管理局."""
    configured = (config.get("FANGXIN_AUTHORITY_NAME") or "").strip()
    return configured or f"{config.get('FANGXIN_CITY_NAME', '')}市场监督管理局"


def truthy(value: Any) -> bool:
    """A checkbox, JSON boolean or "1" as a boolean."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_WORDS


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The record fields present in raw, typed; an unknown type is kept for the message."""
    out: dict[str, Any] = {}
    if "inspection_type" in raw:
        out["inspection_type"] = str(raw.get("inspection_type") or "routine").strip()
    if "sign_refused" in raw:
        out["sign_refused"] = truthy(raw.get("sign_refused"))
    if "sign_refusal_reason" in raw:
        out["sign_refusal_reason"] = str(raw.get("sign_refusal_reason") or "").strip()
    if "sign_witness" in raw:
        out["sign_witness"] = str(raw.get("sign_witness") or "").strip()
    return out


def apply(inspection: Inspection, raw: Mapping[str, Any]) -> None:
    """Store the record fields raw carries; absent ones keep what the inspection has."""
    values = clean(raw)
    if values.get("inspection_type") in INSPECTION_TYPES:
        inspection.inspection_type = values["inspection_type"]
    if "sign_refused" in values:
        inspection.sign_refused = values["sign_refused"]
    if "sign_refusal_reason" in values:
        inspection.sign_refusal_reason = values["sign_refusal_reason"][:REASON_MAX]
    if "sign_witness" in values:
        inspection.sign_witness = values["sign_witness"][:WITNESS_MAX]


def values_of(inspection: Inspection) -> dict[str, Any]:
    """The record fields of a stored inspection."""
    return {name: getattr(inspection, name) for name in RECORD_FIELDS}


def problems(raw: Mapping[str, Any], operator_rep: str = "") -> list[str]:
    """Why the record fields cannot be submitted: an unknown type, a refusal without reason or witness."""
    values = clean(raw)
    messages = []
    if values.get("inspection_type", "routine") not in INSPECTION_TYPES:
        messages.append(_("【检查类型】无效：%(t)s", t=values["inspection_type"]))
    if values.get("sign_refused"):
        if not values.get("sign_refusal_reason"):
            messages.append(_("【拒绝签字原因】未填写（当事人拒绝签字的，须注明原因）"))
        witness = values.get("sign_witness", "")
        if not witness:
            messages.append(_("【见证人】未填写（当事人拒绝签字的，须有见证人）"))
        elif witness == (operator_rep or "").strip():
            messages.append(_("【见证人】不能是拒绝签字的经营者代表本人"))
    return messages


def certificate_of(name: str) -> str:
    """The 执法证号 of the one active account with this display name or username, else ''."""
    name = (name or "").strip()
    if not name:
        return ""
    users = db.session.scalars(
        db.select(User).where(
            User.active.is_(True), (User.display_name == name) | (User.username == name)
        )
    ).all()
    return users[0].enforcement_certificate_no if len(users) == 1 else ""
