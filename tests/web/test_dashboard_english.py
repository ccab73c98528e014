"""The dashboard in English: indicator titles, plan clauses and lead agencies; exports in Chinese."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from app.checklists import shipped_programmes
from app.core.labels import LEADS_EN, PLAN_CLAUSES_EN
from app.extensions import db
from app.indicators import INDICATORS, get_indicator
from app.indicators.catalogue import LEADS
from app.models import LedgerEntry

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def english(client, city, login):
    """The viewer signed in, the UI switched to English."""
    login(city.viewer)
    client.post("/lang/en")
    return client


def page(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_every_clause_and_lead_has_an_english_text():
    assert {ind.clause for ind in INDICATORS} <= set(PLAN_CLAUSES_EN)
    assert set(LEADS) <= set(LEADS_EN)
    assert all(ind.title_en and not CJK.search(ind.title_en) for ind in INDICATORS)
    assert not any(CJK.search(t) for t in [*PLAN_CLAUSES_EN.values(), *LEADS_EN.values()])


def test_the_dashboard_shows_titles_clauses_and_leads_in_english(english):
    html = page(english, "/office/?period=2024Q3")
    for ind in INDICATORS:
        assert ind.title_en in html.replace("&#34;", '"')
        assert ind.title not in html
    assert "Overall goal 5" in html and "Market Regulation Bureau" in html
    assert "总体目标" not in html and "工作措施" not in html
    assert not any(lead in html for lead in LEADS)


def test_the_chinese_dashboard_keeps_the_plans_words(client, city, login):
    login(city.viewer)
    html = page(client, "/office/?period=2024Q3")
    assert "总体目标 5" in html and "市场监管局" in html
    assert "Overall goal" not in html and "Market Regulation Bureau" not in html


def test_an_indicator_page_in_english(english):
    ind = get_indicator("complaints_15_days")
    html = page(english, f"/office/indicators/{ind.code}?period=2024Q3")
    assert f"<h1>{ind.title_en}</h1>" in html and ind.title not in html
    assert "Working measures" in html and "City Food Safety Office" in html
    assert "工作措施" not in html and "市食安办" not in html


def test_reports_in_english_keep_the_lead_as_the_link_value(english):
    html = page(english, "/office/reports")
    assert ">Health Commission<" in html and ">卫健委<" not in html
    assert "lead=%E5%8D%AB%E5%81%A5%E5%A7%94" in html  # ?lead=卫健委, as before
    html = page(english, "/office/reports/2024Q3?lead=%E5%8D%AB%E5%81%A5%E5%A7%94")
    title = get_indicator("surveillance_sites").title_en
    assert title in html and "Overall goal 1" in html and "Health Commission" in html
    assert "社区卫生服务中心" not in html and "总体目标" not in html


def test_exports_stay_in_chinese_on_the_english_ui(english):
    ind = get_indicator("five_goods")
    resp = english.get(f"/office/indicators/{ind.code}.xlsx?period=2024Q3")
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["汇总", "差距清单", "已计入分子"]
    summary = dict(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert summary["指标"] == ind.title and summary["规划条款"] == "总体目标 5"
    assert summary["牵头单位"] == "市场监管局" and summary["统计期"] == "2024年第3季度"
    resp = english.get("/office/reports/2024Q3.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["指标", "各辖区指标", "检查情况", "挂账督办", "投诉举报"]
    rows = list(book["挂账督办"].iter_rows(values_only=True))
    assert rows[0][0] == "辖区" and rows[-1][0] == "合计"


def test_targets_and_the_city_name_have_no_full_width_signs_in_english(english):
    html = page(english, "/office/?period=2024Q3")
    assert "&gt;80%" in html and "＞" not in html
    html = page(english, "/office/reports/2024Q3")
    assert "Yima City" in html and "义马市" not in html


@pytest.fixture
def ledger_item(make_establishment, make_inspection):
    """A five-goods ledger entry due in 2024Q3 whose item text was stored in Chinese."""
    shop = make_establishment()
    ins = make_inspection(shop, "five_goods", datetime(2024, 7, 1, 4, tzinfo=UTC))
    item = shipped_programmes()["five_goods"]._index["fg.env.01"]
    db.session.add(
        LedgerEntry(
            establishment_id=shop.id,
            inspection_id=ins.id,
            item_id=item.id,
            item_text=item.text,
            handling="deadline",
            due_date=date(2024, 7, 20),
            state="open",
        )
    )
    db.session.commit()
    return item


def test_the_ledger_drill_down_shows_item_texts_in_english(english, ledger_item):
    html = page(english, "/office/indicators/ledger_on_time?period=2024Q3&list=all")
    assert ledger_item.text_en.split(",")[0] in html and ledger_item.text not in html
    assert "Awaiting rectification" in html
    resp = english.get("/office/indicators/ledger_on_time.xlsx?period=2024Q3")
    gap = list(load_workbook(io.BytesIO(resp.data))["差距清单"].iter_rows(values_only=True))
    assert gap[1][-1].startswith(ledger_item.text) and gap[1][-1].endswith("待整改")
