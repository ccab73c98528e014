"""The summary pages: overview, a department's form, reopen, Word download; access and errors."""

import io
import re
from urllib.parse import quote

import pytest
from docx import Document

from app.core.clock import local_today
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import quarter_of
from app.models import DepartmentSummary

LEAD = LEADS[0]
TEXTS = {"work_done": "开展检查。", "problems": "台账不全。", "next_steps": "继续督办。"}


@pytest.fixture
def now_code():
    """The current quarter: begun, so it may be written."""
    return quarter_of(local_today()).code


def url(code, lead=LEAD, tail=""):
    return f"/office/summaries/{code}/{quote(lead)}{tail}"


def test_admin_saves_submits_and_reopens_through_the_pages(client, city, login, now_code):
    login(city.admin)
    page = client.get(url(now_code)).get_data(as_text=True)
    assert "未开始" in page and "工作开展情况" in page and "保存草稿" in page
    assert "查看者可以填写、保存和提交本单位的总结" in page, "the editing rule is on the page"
    saved = client.post(url(now_code), data={"work_done": "第一稿", "action": "save"})
    assert saved.status_code == 302
    assert "草稿" in client.get(url(now_code)).get_data(as_text=True)
    refused = client.post(url(now_code), data={"work_done": "只写了一部分", "action": "submit"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "提交前请填写" in text and "只写了一部分" in text, "what was typed stays on the form"
    assert client.post(url(now_code), data=TEXTS | {"action": "submit"}).status_code == 302
    summary = db.session.scalar(db.select(DepartmentSummary))
    assert summary.state == "submitted" and summary.work_done == "开展检查。"
    page = client.get(url(now_code)).get_data(as_text=True)
    assert "已提交" in page and "退回重新填写" in page and "保存草稿" not in page
    overview = client.get(f"/office/summaries?period={now_code}").get_data(as_text=True)
    assert "已提交" in overview and "未开始" in overview
    assert client.post(url(now_code, tail="/reopen"), data={"reason": ""}).status_code == 422
    back = client.post(url(now_code, tail="/reopen"), data={"reason": "请补充数据"})
    assert back.status_code == 302
    page = client.get(url(now_code)).get_data(as_text=True)
    assert "保存草稿" in page and "请补充数据" in page, "the reason is in the history"


def test_viewers_read_and_download_but_cannot_write_inspectors_see_nothing(
    client, city, login, now_code
):
    login(city.viewer)
    page = client.get(url(now_code))
    assert page.status_code == 200 and "保存草稿" not in page.get_data(as_text=True)
    assert client.get("/office/summaries").status_code == 200
    assert client.post(url(now_code), data=TEXTS | {"action": "save"}).status_code == 403
    assert client.post(url(now_code, tail="/reopen"), data={"reason": "x"}).status_code == 403
    download = client.get(url(now_code, tail="/download.docx"))
    assert download.status_code == 200
    assert download.mimetype.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(download.data))
    assert "工作总结" in doc.paragraphs[0].text
    client.get("/logout")
    login(city.inspector)
    assert client.get("/office/summaries").status_code == 403
    assert client.get(url(now_code)).status_code == 403


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/office/summaries?period=garbage", 400, "统计期无法识别"),
        ("/office/summaries?period=2024-01-01_2024-02-01", 400, "不按日期区间"),
        ("/office/summaries?period=9999Q1", 400, "统计期无法识别"),
        (url("garbage"), 404, "统计期无法识别"),
        (url("2024Q9", tail="/download.docx"), 404, "统计期无法识别"),
        (url("2024-01-01_2024-02-01"), 404, "不按日期区间"),
        (url("2024Q3", lead="不存在的局"), 404, "没有这个牵头单位"),
        (url("2024Q3", lead="不存在的局", tail="/download.docx"), 404, "没有这个牵头单位"),
    ],
)
def test_bad_periods_and_departments_answer_with_a_chinese_message(
    client, city, login, path, status, message
):
    login(city.admin)
    response = client.get(path)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_a_bad_period_on_a_post_is_a_404_too(client, city, login):
    login(city.admin)
    assert client.post(url("nope"), data=TEXTS).status_code == 404
    assert client.post(url("nope", tail="/reopen"), data={"reason": "x"}).status_code == 404


def test_a_past_quarter_shows_late_and_a_future_one_cannot_be_written(client, city, login):
    login(city.admin)
    today = local_today()
    past = quarter_of(today).previous().previous()  # its deadline is long gone
    assert "逾期" in client.get(url(past.code)).get_data(as_text=True)
    future = f"{today.year + 1}Q1"
    page = client.get(url(future)).get_data(as_text=True)
    assert "尚未开始" in page and "保存草稿" not in page
    refused = client.post(url(future), data=TEXTS | {"action": "save"})
    assert refused.status_code == 422 and "尚未开始" in refused.get_data(as_text=True)


def test_forms_need_the_csrf_token(app, client, city, login, now_code):
    login(city.admin)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url(now_code), data=TEXTS | {"action": "save"}).status_code == 400
    page = client.get(url(now_code)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = TEXTS | {"action": "save", "csrf_token": token}
    assert client.post(url(now_code), data=data).status_code == 302


def test_the_english_pages_keep_chinese_only_in_data(client, city, login, now_code):
    login(city.admin)
    assert client.post("/lang/en").status_code == 302
    client.post(url(now_code), data=TEXTS | {"action": "submit"})
    pages = [f"/office/summaries?period={now_code}", *(url(now_code, lead) for lead in LEADS)]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", html)
        for data in (*TEXTS.values(), city.admin.display_name, "中文"):
            visible = visible.replace(data, "")
        assert not re.findall(r"[\u4e00-\u9fff\uff00-\uffef\u3000-\u303f]+", visible), path
