"""Writing the audit log; every create, update and close goes through here.

An event keeps its summary in Chinese (the record as the office files it) and, under the
reserved key MESSAGE_KEY of its changes, the message key and parameters, so that each
reader sees the event in their own language (describe).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.core import labels
from app.extensions import db
from app.models import AuditEvent

MESSAGE_KEY = "_message"
# Every audit message, once; the Chinese text is also what the summary column stores.
MESSAGES = {
    "establishment.create": _l("登记 %(name)s"),
    "establishment.update": _l("修改 %(name)s"),
    "establishment.close": _l("注销 %(name)s：%(reason)s"),
    "establishment.reopen": _l("恢复 %(name)s"),
    "establishment.replace_code": _l("更换二维码 %(name)s"),
    "establishment.risk_grade": _l("风险分级评定为 %(grade)s 级"),
    "complaint.create": _l("收到举报：%(name)s"),
    "complaint.assign": _l("举报分派给 %(inspector)s"),
    "complaint.reply": _l("填写举报处理意见"),
    "complaint.start": _l("举报开始处理"),
    "complaint.close": _l("举报办结"),
    "complaint.create_insider": _l("收到内部举报：%(name)s"),
    "reinspection.request": _l("申请复查：%(name)s，期限 %(due)s"),
    "reinspection.close": _l("复查申请已办结：%(name)s"),
    "complaint.accept": _l("决定受理"),
    "complaint.reject": _l("决定不予受理"),
    "complaint.extend": _l("办理期限延长 15 个工作日"),
    "complaint.notify": _l("已告知举报人受理决定（%(method)s）"),
    "complaint.public_reply": _l("填写公开答复"),
    "complaint.read_identity": _l("查看内部举报人身份"),
    "complaint.reward": _l("举报奖励：%(status)s"),
    "coordinator.create": _l("登记协管员 %(name)s"),
    "coordinator.update": _l("修改协管员 %(name)s"),
    "registration.apply": _l("受理申请 %(name)s"),
    "registration.approve": _l("发证 %(number)s"),
    "registration.renew": _l("延续 %(old)s → %(new)s"),
    "registration.supersede": _l("由 %(number)s 延续"),
    "registration.amend": _l("变更 %(number)s：%(reason)s"),
    "registration.cancel": _l("注销 %(number)s：%(reason)s"),
    "inspection.start": _l("开始检查 %(name)s：%(programme)s"),
    "inspection.submit": _l("提交检查 %(name)s"),
    "inspection.submit_revision": _l("提交检查 %(name)s（第%(revision)s版）"),
    "inspection.amend": _l("修改检查记录：%(reason)s"),
    "inspection.approve": _l("审核通过并公示 %(name)s"),
    "inspection.return": _l("审核退回 %(name)s"),
    "ledger.open": _l("挂账：%(item)s"),
    "ledger.rectify": _l("整改完成：%(note)s"),
    "ledger.verify": _l("复查销号：%(note)s"),
    "ledger.escalate": _l("升级督办：%(note)s"),
    "photo.create": _l("上传%(kind)s"),
    "photo.delete": _l("删除%(kind)s"),
    "user.create": _l("创建用户 %(username)s"),
    "user.update": _l("修改用户 %(username)s"),
    "user.reset_password": _l("重置用户 %(username)s 的密码"),
    "user.change_password": _l("用户 %(username)s 修改了密码"),
    "user.sign_out_everywhere": _l("结束用户 %(username)s 在所有设备上的登录"),
    "user.unlock": _l("解除用户 %(username)s 的登录锁定"),
    "jurisdiction.create": _l("新建辖区 %(code)s %(name)s"),
    "jurisdiction.update": _l("修改辖区 %(code)s %(name)s"),
    "jurisdiction.move": _l("%(name)s 从 %(old)s 调整到 %(new)s"),
    "jurisdiction.close": _l("撤销辖区 %(code)s %(name)s"),
    "jurisdiction.merged": _l("%(source)s（%(source_code)s）并入 %(target)s（%(target_code)s）"),
    "jurisdiction.merged_into": _l("%(source)s（%(source_code)s）并入 %(target)s"),
    "token.create": _l("创建 API 令牌 %(name)s"),
    "token.revoke": _l("吊销 API 令牌 %(name)s"),
    "plan.save": _l("保存检查计划 %(name)s"),
    "plan.draw": _l("检查计划 %(name)s 第 %(number)s 次抽取"),
    "plan.redraw": _l("检查计划 %(name)s 第 %(number)s 次抽取（重新抽取：%(reason)s）"),
    "plan.conflict": _l("登记检查人员回避：%(name)s"),
    "flying.start": _l("发起飞行检查 %(name)s：%(reason)s"),
    "case.create": _l("新建典型案例 %(title)s"),
    "case.update": _l("修改典型案例 %(title)s"),
    "case.publish": _l("发布典型案例 %(title)s"),
    "case.withdraw": _l("撤回典型案例 %(title)s：%(reason)s"),
    "summary.save": _l("保存%(lead)s %(period)s工作总结"),
    "summary.submit": _l("提交%(lead)s %(period)s工作总结"),
    "summary.reopen": _l("退回%(lead)s %(period)s工作总结重新填写：%(reason)s"),
}


@dataclass(frozen=True)
class Message:
    """An audit message as data: a key of MESSAGES and its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    def data(self) -> dict:
        """The JSON stored under MESSAGE_KEY."""
        return {"key": self.key, "params": self.params}


def message(key: str, **params) -> Message:
    """An audit message; a parameter is plain, bilingual(...) or coded(...)."""
    if key not in MESSAGES:
        raise KeyError(f"unknown audit message {key!r}")
    return Message(key, params)


def bilingual(zh: str, en: str = "") -> dict:
    """A parameter given in both languages (a checklist title); English falls back to Chinese."""
    return {"zh": zh or "", "en": en or ""}


def coded(table: str, code: str) -> dict:
    """A parameter that is a code of a labels table, e.g. coded('PHOTO_KIND_LABELS', 'item')."""
    return {"label": table, "code": code}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(record, fields: tuple[str, ...]) -> dict:
    """A JSON-safe copy of the named fields of a record."""
    return {name: _plain(getattr(record, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """The fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(user, action: str, entity, summary: "str | Message" = "", changes: dict | None = None):
    """Add an audit event for an entity to the session (committed with the change)."""
    changes = dict(changes or {})
    if isinstance(summary, Message):
        changes[MESSAGE_KEY] = summary.data()
        summary = render(summary.data(), chinese=True)
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        action=action,
        entity=entity.__tablename__,
        entity_id=entity.id,
        summary=summary,
        changes=changes,
    )
    db.session.add(event)
    return event


def created(actor, entity, fields: tuple[str, ...], summary) -> AuditEvent:
    """Flush a new entity (so it has its id) and audit it with its fields as created."""
    db.session.add(entity)
    db.session.flush()
    return record(actor, "create", entity, summary, {"after": snapshot(entity, fields)})


def update(actor, entity, fields: tuple[str, ...], values: dict, summary) -> dict:
    """Set values on an entity and audit what changed among fields; returns the changes."""
    before = snapshot(entity, fields)
    for name, value in values.items():
        setattr(entity, name, value)
    changes = diff(before, snapshot(entity, fields))
    if changes:
        record(actor, "update", entity, summary, changes)
    return changes


def describe(event: AuditEvent) -> str:
    """The event's summary in the reader's language; the stored summary for older rows."""
    data = (event.changes or {}).get(MESSAGE_KEY)
    if not isinstance(data, dict) or data.get("key") not in MESSAGES:
        return event.summary or ""
    try:
        return render(data)
    except (KeyError, TypeError, ValueError):
        return event.summary or ""


def field_changes(event: AuditEvent) -> dict:
    """The event's changed fields, without the stored message."""
    return {k: v for k, v in (event.changes or {}).items() if k != MESSAGE_KEY}


def render(data: dict, chinese: bool = False) -> str:
    """Format a stored message in the current language (or in Chinese)."""
    english = not chinese and _reading_english()
    params = {k: _param(v, english) for k, v in (data.get("params") or {}).items()}
    template = MESSAGES[data["key"]]
    text = labels.in_chinese(template) if chinese else str(template)
    return text % params


def _reading_english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


def _param(value, english: bool):
    if not isinstance(value, dict):
        return "" if value is None else value
    if "label" in value:
        table = getattr(labels, str(value["label"]), None)
        code = value.get("code")
        text = table.get(code, code) if isinstance(table, dict) else code
        return str(text or "") if english else labels.in_chinese(text or "")
    return (value.get("en") if english else "") or value.get("zh", "")


def history(*records, oldest_first: bool = False) -> list[AuditEvent]:
    """The audit events of one or more records of one table, newest first by default."""
    if not records:
        return []
    order = (AuditEvent.at, AuditEvent.id)
    if not oldest_first:
        order = tuple(col.desc() for col in order)
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(
                AuditEvent.entity == records[0].__tablename__,
                AuditEvent.entity_id.in_([r.id for r in records]),
            )
            .order_by(*order)
        )
    )
