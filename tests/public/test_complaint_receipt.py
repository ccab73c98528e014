"""The receipt code: shown once on the thanks page, then status and the office's public reply
on /complaint-status, with nothing personal on that page."""

import re

import pytest

from app.extensions import db
from app.models import Complaint
from app.public.complaint_rules import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    by_receipt,
    decide,
    new_receipt_code,
    save_public_reply,
)

NAME, PHONE, TEXT = "赵小明", "13912345678", "凉菜间苍蝇很多-私密内容"


def send(client, shop, **over):
    data = {"kind": "complaint", "text": TEXT, "phone": PHONE, "reporter_name": NAME} | over
    sent = client.post(f"/q/{shop.qr_token}/complaint", data=data)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    thanks = client.get(sent.headers["Location"])
    html = thanks.get_data(as_text=True)
    assert thanks.headers["Cache-Control"] == "private, no-store"
    shown = re.search(r'class="receipt-code">([A-Z0-9-]+)<', html).group(1)
    return shown, db.session.scalar(db.select(Complaint).order_by(Complaint.id.desc()))


def look_up(client, code):
    return client.post("/complaint-status", data={"code": code})


def test_codes_are_random_and_unambiguous(app):
    codes = {new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == RECEIPT_LENGTH and set(code) <= set(RECEIPT_ALPHABET)
        assert not set(code) & set("01OIL")


def test_the_thanks_page_gives_the_code_and_the_status_page_shows_no_personal_data(
    client, city, shop
):
    shown, c = send(client, shop)
    assert shown.replace("-", "") == c.receipt_code
    assert c.kind == "complaint" and c.reporter_name == NAME and c.phone == PHONE
    page = look_up(client, shown)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert "投诉" in html and "待受理" in html and "7个工作日" in html
    for private in (NAME, PHONE, TEXT, "138", "139"):
        assert private not in html
    decide(city.admin, c, True)
    save_public_reply(city.admin, c, "已约谈经营者，责令整改")
    db.session.commit()
    html = look_up(client, shown.lower().replace("-", " ")).get_data(as_text=True)
    assert "办理中" in html and "已约谈经营者，责令整改" in html and "15个工作日" in html
    assert NAME not in html and PHONE not in html and TEXT not in html


def test_a_refusal_shows_its_reason(client, city, shop):
    shown, c = send(client, shop)
    decide(city.admin, c, False, "不属于本部门管辖，请向住建部门反映")
    db.session.commit()
    html = look_up(client, shown).get_data(as_text=True)
    assert "不予受理" in html and "不属于本部门管辖" in html


def test_anonymous_reports_still_work(client, shop):
    shown, c = send(client, shop, kind="report", phone="", reporter_name="")
    assert c.kind == "report" and not c.reporter_name and not c.phone
    assert "核查中" in look_up(client, shown).get_data(as_text=True)


def test_the_old_form_without_a_kind_is_a_report(client, shop):
    _shown, c = send(client, shop, kind=None, reporter_name=None)
    assert c.kind == "report"


@pytest.mark.parametrize("code", ["", "ABC", "0000000000", "22222-22222", "X" * 200])
def test_unknown_codes_are_refused_with_a_message(client, shop, code):
    page = look_up(client, code)
    assert page.status_code == 404
    assert "没有找到这个回执码" in page.get_data(as_text=True)
    assert by_receipt(code) is None


def test_the_lookup_is_rate_limited(app, client, shop):
    shown, _c = send(client, shop)
    app.config["FANGXIN_LOOKUPS_PER_MINUTE"] = 2
    assert look_up(client, "22222-22222").status_code == 404
    assert look_up(client, shown).status_code == 200
    limited = look_up(client, shown)
    assert limited.status_code == 429 and "查询太频繁" in limited.get_data(as_text=True)


def test_the_empty_box(client, app):
    page = client.get("/complaint-status")
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)


def test_the_form_offers_both_kinds_with_a_line_each(client, shop):
    html = client.get(f"/q/{shop.qr_token}/complaint").get_data(as_text=True)
    assert 'value="report"' in html and 'value="complaint"' in html
    assert "您本人与该单位的消费纠纷" in html and "反映单位违法违规问题" in html
    bad = client.post(f"/q/{shop.qr_token}/complaint", data={"kind": "x", "text": "t"})
    assert bad.status_code == 400


def test_the_status_page_in_english(client, city, shop):
    shown, _c = send(client, shop)
    client.post("/lang/en")
    html = look_up(client, shown).get_data(as_text=True)
    assert "Complaint" in html and "Awaiting acceptance" in html and "7 working days" in html
    assert "No reply yet" in html and NAME not in html
