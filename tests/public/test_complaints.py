"""Complaints: the public form, its limits and CSRF, and the office queue's workflow."""

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, Complaint
from app.public.complaints import normalise_phone


def send(client, est, text="冷菜间无防蝇设施", phone="", addr="203.0.113.7"):
    return client.post(
        f"/q/{est.qr_token}/complaint",
        data={"text": text, "phone": phone},
        environ_base={"REMOTE_ADDR": addr},
    )


@pytest.fixture
def shop(make_establishment):
    return make_establishment(name="被举报小店")


def test_a_complaint_lands_in_the_queue(client, shop):
    response = send(client, shop, phone="138 0398 1234")
    assert response.status_code == 303
    assert "/complaint/sent" in response.headers["Location"]
    complaint = db.session.scalar(db.select(Complaint))
    assert complaint.text == "冷菜间无防蝇设施" and complaint.phone == "13803981234"
    assert complaint.state == "open" and complaint.establishment_id == shop.id
    assert "203.0.113.7" not in complaint.sender_hash and len(complaint.sender_hash) == 64
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "complaint"))
    assert event.action == "create" and event.user_id is None


def test_the_form_page(client, shop):
    response = client.get(f"/q/{shop.qr_token}/complaint")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "被举报小店" in html
    assert 'name="text"' in html and 'name="phone"' in html
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("text", "phone", "message"),
    [
        ("", "", "请写下您看到的问题"),
        ("   ", "", "请写下您看到的问题"),
        ("太" * 1001, "", "不能超过 1000 个字"),
        ("有问题", "12345", "请填写有效的手机号"),
        ("有问题", "1380398123", "请填写有效的手机号"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(client, shop, text, phone, message):
    response = send(client, shop, text=text, phone=phone)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    if phone:
        assert phone in html and text in html
    assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 0


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13803981234", "13803981234"),
        ("+86 138-0398-1234", "13803981234"),
        ("0398-2812345", "0398-2812345"),
        ("(0398) 28123456", "0398-28123456"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("12803981234", None),
        ("1380398123a", None),
        ("398-1234567", None),
    ],
)
def test_phone_numbers(raw, clean):
    assert normalise_phone(raw) == clean


def test_exactly_1000_characters_is_fine(client, shop):
    assert send(client, shop, text="好" * 1000).status_code == 303


def test_a_sender_is_limited_per_hour(client, shop, make_establishment):
    for _ in range(3):
        assert send(client, shop).status_code == 303
    limited = send(client, make_establishment(), text="第四条")
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "一小时内已提交 3 条举报" in html and "第四条" in html
    assert send(client, shop, addr="198.51.100.1").status_code == 303


def test_a_flood_does_not_lock_an_establishment_out(client, shop):
    """20 posts from 7 addresses (as many as each may send) leave room for a real 21st."""
    senders = [f"198.51.100.{n}" for n in range(7)]
    for n in range(20):
        assert send(client, shop, text=f"刷屏{n}", addr=senders[n % 7]).status_code == 303
    assert send(client, shop, text="真实举报：后厨有老鼠", addr="192.0.2.8").status_code == 303
    assert send(client, shop, text="第四条", addr=senders[0]).status_code == 429  # 3 sent
    texts = set(db.session.scalars(db.select(Complaint.text)))
    assert len(texts) == 21 and "真实举报：后厨有老鼠" in texts and "第四条" not in texts


def test_a_1000_character_complaint_with_line_breaks_is_kept_as_typed(client, shop):
    """The browser sends CRLF and its maxlength counts each break once; so does the server."""
    lines = ["一" * 99] * 9 + ["尾" * 100]  # 991 characters and 9 breaks; 1,009 as CRLF
    text = "\r\n".join(lines)
    assert len(text.replace("\r\n", "\n")) == 1000 and len(text) == 1009
    assert send(client, shop, text=text).status_code == 303
    stored = db.session.scalar(db.select(Complaint.text))
    assert stored == "\n".join(lines) and "\r" not in stored
    refused = send(client, shop, text=text + "多", addr="192.0.2.9")
    assert refused.status_code == 400 and "不能超过 1000 个字" in refused.get_data(as_text=True)


def test_csrf_is_required(app, client, shop):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production
    refused = client.post(f"/q/{shop.qr_token}/complaint", data={"text": "无令牌"})
    assert refused.status_code == 400
    page = client.get(f"/q/{shop.qr_token}/complaint").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(
        f"/q/{shop.qr_token}/complaint", data={"text": "有令牌", "csrf_token": token}
    )
    assert accepted.status_code == 303
