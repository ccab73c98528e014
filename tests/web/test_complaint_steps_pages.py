"""The office's complaint steps through the pages: kind, stage and next deadline in the queue,
受理/不予受理, the one extension, 已告知, the public reply; bad input gets a message, not a 500."""

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.models import Complaint
from app.public.complaints import submit_complaint


@pytest.fixture
def named(shop):
    c = submit_complaint(shop, "买到过期牛奶要求退货", "13800138000", "s1", 9, kind="complaint",
                         reporter_name="孙七")  # fmt: skip
    db.session.commit()
    return c


def url(c, step):
    return f"/office/complaints/{c.id}/{step}"


def test_the_queue_shows_kind_stage_and_next_deadline(client, city, login, named, shop):
    submit_complaint(shop, "后厨有老鼠", "", "s2", 9)
    db.session.commit()
    login(city.viewer)
    html = client.get("/office/complaints").get_data(as_text=True)
    assert "投诉" in html and "待受理" in html and "受理决定期限" in html and "7个工作日" in html
    assert "核查中" in html and "核查线索期限" in html and "15个工作日" in html
    only = client.get("/office/complaints?kind=complaint").get_data(as_text=True)
    assert "买到过期牛奶" in only and "后厨有老鼠" not in only


def test_accept_then_tell_the_reporter(client, city, login, named):
    login(city.inspector)  # covers the shop's area
    assert client.post(url(named, "decide"), data={"decision": "accepted"}).status_code == 302
    db.session.refresh(named)
    assert named.decision == "accepted" and named.state == "in_progress"
    page = client.get(f"/office/complaints/{named.id}").get_data(as_text=True)
    assert "告知举报人" in page and "5个工作日" in page and "办理中" in page
    again = client.post(url(named, "decide"), data={"decision": "rejected", "reason": "x"})
    assert again.status_code == 400 and "不能重复决定" in again.get_data(as_text=True)
    bad = client.post(url(named, "notify"), data={"on": "2024-13-40", "method": "电话"})
    assert bad.status_code == 400 and "告知日期和告知方式" in bad.get_data(as_text=True)
    today = local_today().isoformat()
    told = client.post(url(named, "notify"), data={"on": today, "method": "电话"})
    assert told.status_code == 302
    db.session.refresh(named)
    assert named.notified_method == "电话"
    page = client.get(f"/office/complaints/{named.id}").get_data(as_text=True)
    assert "已告知" in page and "已告知举报人受理决定（电话）" in page


def test_refuse_needs_a_reason(client, city, login, named):
    login(city.admin)
    bad = client.post(url(named, "decide"), data={"decision": "rejected", "reason": " "})
    assert bad.status_code == 400 and "请填写不予受理的理由" in bad.get_data(as_text=True)
    assert client.post(url(named, "decide"), data={"decision": "maybe"}).status_code == 400
    ok = client.post(url(named, "decide"), data={"decision": "rejected", "reason": "不属于管辖"})
    assert ok.status_code == 302
    assert db.session.get(Complaint, named.id).state == "closed"


def test_extend_once_with_a_reason(client, city, login, shop):
    report = submit_complaint(shop, "无证经营", "", "s3", 9)
    db.session.commit()
    login(city.admin)
    assert client.post(url(report, "extend"), data={"reason": ""}).status_code == 400
    assert client.post(url(report, "extend"), data={"reason": "等检验报告"}).status_code == 302
    page = client.get(f"/office/complaints/{report.id}").get_data(as_text=True)
    assert "30个工作日" in page and "等检验报告" in page and "延长期限" not in page
    twice = client.post(url(report, "extend"), data={"reason": "再等等"})
    assert twice.status_code == 400 and "只能延长一次" in twice.get_data(as_text=True)


def test_public_reply_and_its_limit(client, city, login, named):
    login(city.admin)
    too_long = client.post(url(named, "public-reply"), data={"public_reply": "字" * 1001})
    assert too_long.status_code == 400
    ok = client.post(url(named, "public-reply"), data={"public_reply": "已责令退货"})
    assert (
        ok.status_code == 302 and db.session.get(Complaint, named.id).public_reply == "已责令退货"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("viewer", 403), ("other_inspector", 404), (None, 302)],
)
@pytest.mark.parametrize("step", ["decide", "extend", "notify", "public-reply"])
def test_who_may_take_the_steps(client, city, login, named, who, status, step):
    if who:
        login(getattr(city, who))
    assert client.post(url(named, step), data={"decision": "accepted"}).status_code == status


def test_the_steps_in_english(client, city, login, named):
    login(city.admin)
    client.post("/lang/en")
    html = client.get(f"/office/complaints/{named.id}").get_data(as_text=True)
    assert "Acceptance decision" in html and "7 working days" in html.replace("7个工作日", "")
