"""In Chromium: a citizen's oversized photo is dropped before sending; the complaint still goes."""

import pytest

from app.extensions import db
from app.models import Complaint
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def test_an_oversized_photo_is_dropped_and_the_text_sent(app, phone, make_establishment):
    app.config["FANGXIN_PHOTO_MAX_BYTES"] = 1000
    est = make_establishment(name="举报测试小店")
    phone.goto(f"/q/{est.qr_token}/complaint")
    phone.fill("#text", "凉菜间没有纱窗")
    phone.set_input_files(
        "#photo", files=[{"name": "big.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * 5000}]
    )
    warning = phone.locator("#photo-size-error")
    assert warning.is_visible() and "举报内容仍可提交" in warning.inner_text()
    assert phone.input_value("#photo") == ""
    screenshot(phone, "public-complaint-photo-too-large")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/complaint/sent")
    db.session.expire_all()
    assert db.session.scalar(db.select(Complaint)).text == "凉菜间没有纱窗"


def test_a_complaint_sent_without_signal_goes_when_the_signal_is_back(phone, make_establishment):
    est = make_establishment(name="信号测试小店")
    phone.goto(f"/q/{est.qr_token}/complaint")
    phone.fill("#text", "冰柜断电")
    phone.context.set_offline(True)
    phone.click("main button[type=submit]")
    assert phone.locator("[data-offline-note]").is_visible()
    assert phone.input_value("#text") == "冰柜断电"
    screenshot(phone, "public-complaint-offline")
    phone.context.set_offline(False)
    phone.wait_for_url("**/complaint/sent")
    db.session.expire_all()
    assert [c.text for c in db.session.scalars(db.select(Complaint))] == ["冰柜断电"]


def test_a_full_text_box_with_line_breaks_is_accepted(phone, make_establishment):
    """The box stops at 1,000 with each line break counted once, and so does the server."""
    est = make_establishment(name="换行测试小店")
    phone.goto(f"/q/{est.qr_token}/complaint")
    phone.fill("#text", "\n".join(["一" * 99] * 10))  # 999 with 9 breaks (1,008 as CRLF)
    phone.press("#text", "End")
    phone.keyboard.type("ab")  # only one more fits
    assert len(phone.input_value("#text")) == 1000
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/complaint/sent")
    db.session.expire_all()
    text = db.session.scalar(db.select(Complaint)).text
    assert len(text) == 1000 and text.count("\n") == 9 and text.endswith("a")
