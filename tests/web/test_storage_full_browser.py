"""A full photo store seen from the phone (Chromium): the message shown, the data kept, no
retry as if the fault would pass by itself."""

from __future__ import annotations

import errno

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Inspection
from app.photos.storage import LocalStorage
from tests.factories import FAIL_ITEM, payload_for, signature_data_url
from tests.web.test_offline_browser import sign

pytestmark = pytest.mark.browser

FULL = "存储空间已满，请联系管理员"


def no_room(self, key, data):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_the_checklist_says_the_signature_found_no_room_and_keeps_the_answers(
    city, shop, browser_login, phone, full_disk
):
    page = browser_login(city.inspector)
    page.goto(f"/field/establishments/{shop.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    page.click(f'label[for="r-{FAIL_ITEM}-fail"]')
    expect(page.locator("#save-status")).to_contain_text("已保存")
    sign(page)
    status = page.locator("#save-status")
    expect(status).to_contain_text(f"签名未能保存：{FULL}")  # not "网络不通", retried later
    assert page.input_value("#signature").startswith("data:image/png")  # kept on the page
    db.session.expire_all()
    inspection = db.session.scalar(db.select(Inspection))
    assert inspection.signature_key is None
    assert {a.item_id: a.result for a in inspection.answers}[FAIL_ITEM] == "fail"


def test_the_outbox_keeps_what_the_server_has_no_room_for(
    city, shop, browser_login, phone, monkeypatch
):
    page = browser_login(city.inspector)
    page.goto("/field/")
    page.evaluate("FangxinOutbox.sendAll().catch(() => 0)")  # the page's own first run, done
    submits = []
    page.on("request", lambda r: submits.append(r) if r.url.endswith("/api/v1/inspections") else 0)
    draft = payload_for(shop, signature=signature_data_url()) | {"state": "queued"}
    monkeypatch.setattr(LocalStorage, "put", no_room)
    outcome = page.evaluate(
        """draft => FangxinDB.putDraft(draft).then(() => FangxinOutbox.sendAll())
             .then(() => 'sent', e => e.full ? 'full' : 'other: ' + e.message)""",
        draft,
    )
    kept = page.evaluate("uuid => FangxinDB.draft(uuid)", draft["client_uuid"])
    assert outcome == "full" and len(submits) == 1
    assert kept["state"] == "queued" and FULL in kept["message"]
    assert kept["signature"] == draft["signature"] and kept["answers"] == draft["answers"]
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0

    monkeypatch.undo()  # the admin made room: the next run sends it whole
    assert page.evaluate("FangxinOutbox.sendAll().then(() => 'sent')") == "sent"
    assert page.evaluate("uuid => FangxinDB.draft(uuid)", draft["client_uuid"])["state"] == "sent"
    db.session.expire_all()
    assert db.session.scalar(db.select(Inspection)).signature_key
