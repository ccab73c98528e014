"""Audit events stored as data and shown in the reader's language; old rows keep their summary."""

import ast
from pathlib import Path

import pytest
from flask_babel import force_locale, get_translations

from app.core import audit
from app.extensions import db
from app.models import AuditEvent
from app.registry.codes import replace_codes
from app.registry.establishments import close_establishment, update_establishment

# The English the catalogue will carry (the lead extracts it); injected for these tests.
ENGLISH = {
    "登记 %(name)s": "Registered %(name)s",
    "修改 %(name)s": "Edited %(name)s",
    "注销 %(name)s：%(reason)s": "Closed %(name)s: %(reason)s",
    "更换二维码 %(name)s": "Replaced the QR code of %(name)s",
    "开始检查 %(name)s：%(programme)s": "Started an inspection of %(name)s: %(programme)s",
    "上传%(kind)s": "Uploaded %(kind)s",
    "检查项照片": "item photo",
}
APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def english(app, monkeypatch):
    """The en catalogue with the audit messages translated."""
    with app.test_request_context(), force_locale("en"):
        catalogue = get_translations()._catalog
    for chinese, text in ENGLISH.items():
        monkeypatch.setitem(catalogue, chinese, text)


def describe_in(app, event, locale):
    """The event as a reader in this locale sees it."""
    with app.test_request_context(), force_locale(locale):
        return audit.describe(event)


def events_of(est):
    return audit.history(est, oldest_first=True)


def test_an_event_keeps_chinese_summary_and_its_message_as_data(city, make_establishment):
    est = make_establishment(name="惠民超市")
    event = events_of(est)[0]
    assert event.summary == "登记 惠民超市"
    assert event.changes[audit.MESSAGE_KEY] == {
        "key": "establishment.create",
        "params": {"name": "惠民超市"},
    }
    assert "after" in audit.field_changes(event) and audit.MESSAGE_KEY not in audit.field_changes(
        event
    )


def test_recorded_in_chinese_shown_in_english_and_back(app, city, english, make_establishment):
    est = make_establishment(name="惠民超市")
    close_establishment(city.admin, est, "停业")
    db.session.commit()
    closed = events_of(est)[-1]
    assert describe_in(app, closed, "en") == "Closed 惠民超市: 停业"
    assert describe_in(app, closed, "zh_CN") == "注销 惠民超市：停业" == closed.summary


def test_recorded_in_english_ui_is_stored_and_shown_in_chinese(app, city, english, shop):
    with app.test_request_context(), force_locale("en"):
        replace_codes(city.admin, shop)
        db.session.commit()
    event = events_of(shop)[-1]
    assert event.summary == f"更换二维码 {shop.name}"
    assert describe_in(app, event, "zh_CN") == f"更换二维码 {shop.name}"
    assert describe_in(app, event, "en") == f"Replaced the QR code of {shop.name}"


def test_bilingual_and_coded_parameters(app, city, english, shop):
    title = audit.bilingual(
        "农村食品经营店“五好”规范化建设检查", "Rural food shops: the five goods"
    )
    start = audit.message("inspection.start", name=shop.name, programme=title)
    photo = audit.message("photo.create", kind=audit.coded("PHOTO_KIND_LABELS", "item"))
    first = audit.record(city.inspector, "create", shop, start)
    second = audit.record(city.inspector, "create", shop, photo)
    db.session.commit()
    assert first.summary == f"开始检查 {shop.name}：农村食品经营店“五好”规范化建设检查"
    assert describe_in(app, first, "en").endswith(": Rural food shops: the five goods")
    assert second.summary == "上传检查项照片"
    assert describe_in(app, second, "en") == "Uploaded item photo"


def test_old_rows_with_only_a_summary_still_show_it(app, city, shop):
    old = AuditEvent(
        user_id=city.admin.id,
        action="update",
        entity="establishment",
        entity_id=shop.id,
        summary="修改 旧的记录",
        changes={"name": ["甲", "乙"]},
    )
    db.session.add(old)
    db.session.commit()
    assert describe_in(app, old, "en") == "修改 旧的记录"
    assert audit.field_changes(old) == {"name": ["甲", "乙"]}


def test_a_broken_message_falls_back_to_the_summary(app, city, shop):
    event = audit.record(city.admin, "update", shop, "存档摘要")
    event.changes = {audit.MESSAGE_KEY: {"key": "establishment.close", "params": {}}}
    assert describe_in(app, event, "en") == "存档摘要"
    event.changes = {audit.MESSAGE_KEY: {"key": "no.such.key", "params": {}}}
    assert describe_in(app, event, "zh_CN") == "存档摘要"


def test_an_unknown_message_key_is_refused_when_recording():
    with pytest.raises(KeyError):
        audit.message("no.such.key")


def test_the_establishment_page_shows_history_in_the_readers_language(
    client, login, city, english, make_establishment
):
    est = make_establishment(name="惠民超市")
    update_establishment(city.admin, est, contact_phone="13800000000")
    db.session.commit()
    login(city.admin)
    page = client.get(f"/office/establishments/{est.id}").get_data(as_text=True)
    assert "登记 惠民超市" in page and "修改 惠民超市" in page
    client.post("/lang/en")
    page = client.get(f"/office/establishments/{est.id}").get_data(as_text=True)
    assert "Registered 惠民超市" in page and "Edited 惠民超市" in page
    assert "<code>contact_phone</code>" in page and audit.MESSAGE_KEY not in page


def audit_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, name = node.func.value, node.func.attr
            if isinstance(owner, ast.Name) and owner.id == "audit" and name in ("record", "update"):
                yield node


def test_no_call_site_writes_a_chinese_sentence():
    """Every audit.record/update passes audit.message(...) (or a name bound to one)."""
    offenders = []
    for path in APP.rglob("*.py"):
        for call in audit_calls(ast.parse(path.read_text(encoding="utf-8"))):
            position = 3 if call.func.attr == "record" else 4
            args = call.args[position : position + 1] or [
                k.value for k in call.keywords if k.arg == "summary"
            ]
            if args and isinstance(args[0], ast.Constant | ast.JoinedStr):
                offenders.append(f"{path.relative_to(APP)}:{call.lineno}")
    assert offenders == []
