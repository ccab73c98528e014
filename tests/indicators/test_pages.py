"""Dashboard, drill-down, XLSX, reports, API and tokens: access rules and that figures agree."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.indicators import INDICATORS, parse_period
from app.indicators.drill import drill_query
from app.indicators.rollup import make_scope, rollup
from app.models import ApiToken, Complaint, Coordinator, LedgerEntry
from tests.indicators.conftest import local
from tests.sampling.helpers import rapid_test


@pytest.fixture
def data(city, at, make_inspection):
    """A little of everything in 2024Q3, in both street offices."""
    for i, unit in enumerate([city.north_c, city.north_c, city.south_c]):
        shop = at(jurisdiction_id=unit.id)
        make_inspection(shop, "five_goods", local(2024, 8, 1 + i), five_goods_met=i != 1)
        canteen = at(category="school_canteen", jurisdiction_id=unit.id)
        make_inspection(
            canteen,
            "school_canteen",
            local(2024, 8, 1),
            bright_kitchen_live=True,
            yushi_app_in_use=i == 0,
        )
        cater = at(category="restaurant_large", jurisdiction_id=unit.id, risk_grade="A")
        ins = make_inspection(
            cater,
            "catering",
            local(2024, 8, 1),
            bright_kitchen_live=i == 0,
            staff_count=5,
            staff_trained=3 + i,
        )
        db.session.add(
            LedgerEntry(
                establishment_id=cater.id,
                inspection_id=ins.id,
                item_id="k",
                item_text="地面油污",
                handling="deadline",
                due_date=date(2024, 8, 10),
                state="open",
            )
        )
        db.session.add(
            Complaint(
                establishment_id=shop.id,
                text="t",
                sender_hash="h",
                created_at=local(2024, 7, 2),
                closed_at=local(2024, 7, 5) if i else None,
            )
        )
    at(category="health_centre", surveillance_site=True)
    at(category="stall")
    at(category="grain_enterprise")  # 发改委's figures (task 十一): one not yet inspected
    # tasks 四, 九, 十二 (issue #14): one of each, not yet inspected
    for category in ("health_food_seller", "online_caterer", "import_food_seller"):
        at(category=category)
    market = at(category="farm_market", risk_grade="B", risk_assessed_on=date(2024, 5, 1))
    db.session.add(rapid_test(market, city.inspector, date(2024, 8, 1)))
    db.session.add(Coordinator(name="王", village_id=city.north_v.id, start_on=date(2024, 1, 1)))
    db.session.commit()


@pytest.mark.parametrize(("role", "code"), [("admin", 200), ("viewer", 200), ("inspector", 403)])
def test_dashboard_access(client, city, login, data, role, code):
    login(getattr(city, role))
    assert client.get("/office/?period=2024Q3").status_code == code
    assert client.get("/office/indicators/five_goods?period=2024Q3").status_code == code
    assert client.get("/office/reports/2024Q3").status_code == code


def test_dashboard_shows_cards_table_and_registry(client, city, login, data):
    login(city.viewer)
    html = client.get("/office/?period=2024Q3").get_data(as_text=True)
    assert "农村食品经营店“五好”规范化建设达标率" in html
    assert "66.7%" in html and "2 / 3" in html  # five goods: 2 of 3 shops
    assert "未达标" in html and "达标" in html
    assert "<svg" in html and "如何计算" in html
    assert "在册单位（按街道办事处）" in html  # the registry counts stay on the home page
    assert "下一个报送期限" in html
    assert client.get("/office/dashboard?period=2024Q3").status_code == 200


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("period=2024", "2024年"),
        ("start=2024-07-01&end=2024-09-30", "2024-07-01 至 2024-09-30"),
        ("period=2024-07-01..2024-09-30", "2024-07-01 至 2024-09-30"),
    ],
)
def test_a_year_or_a_date_range_is_a_period_too(client, city, login, data, query, label):
    login(city.viewer)
    html = client.get(f"/office/?{query}").get_data(as_text=True)
    assert label in html and "统计期无法识别" not in html
    assert "66.7%" in html and "2 / 3" in html  # the same five-goods figure as 2024Q3


def test_a_range_ending_before_it_starts_is_refused(client, city, login, data):
    login(city.viewer)
    html = client.get("/office/?start=2024-09-30&end=2024-07-01").get_data(as_text=True)
    assert "统计期无法识别" in html


def test_bad_period_and_jurisdiction_explain_themselves(client, city, login, data):
    login(city.admin)
    html = client.get("/office/?period=2024Q9&jurisdiction=NOPE", follow_redirects=True).get_data(
        as_text=True
    )
    assert "统计期无法识别" in html and "没有编码为 NOPE 的辖区" in html


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.code)
def test_drill_down_adds_up(city, data, ind):
    scope = make_scope(parse_period("2024Q3"))
    fig = rollup(ind, scope)[None]
    every = db.session.execute(drill_query(ind, scope, "all")).all()
    counted = db.session.execute(drill_query(ind, scope, "counted")).all()
    gap = db.session.execute(drill_query(ind, scope, "gap")).all()
    assert sum(r.num for r in counted + gap) == fig.num  # each subject on one list only
    assert sum(r.den for r in every) == fig.den
    assert {r.subject_id for r in counted} | {r.subject_id for r in gap} == {
        r.subject_id for r in every
    }
    assert fig.den > 0


def test_xlsx_export_holds_the_drill_down_rows(client, city, login, data):
    login(city.viewer)
    resp = client.get("/office/indicators/five_goods.xlsx?period=2024Q3")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["汇总", "差距清单", "已计入分子"]
    gap_ids = [row[0] for row in book["差距清单"].iter_rows(min_row=2, values_only=True)]
    counted_ids = [row[0] for row in book["已计入分子"].iter_rows(min_row=2, values_only=True)]
    scope = make_scope(parse_period("2024Q3"))
    from app.indicators import get_indicator

    ind = get_indicator("five_goods")
    assert gap_ids == [r.subject_id for r in db.session.execute(drill_query(ind, scope, "gap"))]
    assert counted_ids == [
        r.subject_id for r in db.session.execute(drill_query(ind, scope, "counted"))
    ]
    assert len(gap_ids) == 1 and len(counted_ids) == 2


def test_drill_down_page_lists_the_gap_with_links(client, city, login, data):
    login(city.admin)
    html = client.get("/office/indicators/five_goods?period=2024Q3&list=gap").get_data(as_text=True)
    assert html.count("/office/establishments/") == 1
    html = client.get("/office/indicators/ledger_on_time?period=2024Q3&jurisdiction=XQ").get_data(
        as_text=True
    )
    assert "地面油污" in html
    assert client.get("/office/indicators/nope").status_code == 404


def test_reports_page_and_xlsx(client, city, login, data):
    login(city.viewer)
    assert "2024年第3季度" in client.get("/office/reports").get_data(as_text=True)
    html = client.get("/office/reports/2024Q3?lead=市场监管局").get_data(as_text=True)
    assert "检查情况" in html and "社区卫生服务中心" not in html
    resp = client.get("/office/reports/2024Q3.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["指标", "各辖区指标", "检查情况", "挂账督办", "投诉举报"]
    rows = list(book["指标"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(INDICATORS)
    assert client.get("/office/reports/2024Q3.xlsx?lead=卫健委").status_code == 200
    assert client.get("/office/reports/garbage").status_code == 404


def test_report_counts_ledger_entries_and_complaints_by_street_office(city, data):
    from app.core.clock import local_today
    from app.indicators import reports
    from app.indicators.periods import quarter_of

    north, south = city.north.id, city.south.id
    q3 = parse_period("2024Q3")
    # (received, closed, still open at the end): one of the north's two is still open.
    assert reports.complaints(q3) == {north: (2, 1, 1), south: (1, 1, 0)}
    # The entries were opened today, after 2024Q3; this quarter all are open and overdue.
    assert reports.ledger(q3) == {}
    assert reports.ledger(quarter_of(local_today())) == {north: (2, 0, 2), south: (1, 0, 1)}


def test_api_requires_sign_in_or_token(client, city, login, data):
    assert client.get("/api/v1/indicators?period=2024Q3").status_code == 401
    assert (
        client.get("/api/v1/indicators", headers={"Authorization": "Bearer fx_wrong"}).status_code
        == 401
    )
    login(city.inspector)
    assert client.get("/api/v1/indicators?period=2024Q3").status_code == 403


def test_api_matches_dashboard(client, city, login, data):
    login(city.viewer)
    body = client.get("/api/v1/indicators?period=2024Q3&jurisdiction=XQ").get_json()
    assert body["period"] == {
        "code": "2024Q3",
        "start": "2024-07-01",
        "end": "2024-09-30",
        "label": "2024年第3季度",
    }
    scope = make_scope(parse_period("2024Q3"), "XQ")
    for item, ind in zip(body["indicators"], INDICATORS, strict=True):
        fig = rollup(ind, scope)[None]
        assert (item["numerator"], item["denominator"]) == (fig.num, fig.den)
    five = body["indicators"][1]
    assert five["code"] == "five_goods" and five["value"] == pytest.approx(0.5)
    assert (five["clause"], five["clause_en"]) == ("总体目标 5", "Overall goal 5")
    assert (five["lead"], five["lead_en"]) == ("市场监管局", "Market Regulation Bureau")
    html = client.get("/office/?period=2024Q3&jurisdiction=XQ").get_data(as_text=True)
    assert "50.0%" in html
    assert client.get("/api/v1/indicators?period=bad").status_code == 400
    assert client.get("/api/v1/indicators?jurisdiction=NOPE").status_code == 400


def test_admin_creates_and_revokes_tokens(client, city, login, data):
    login(city.admin)
    html = client.post("/office/api-tokens", data={"name": "数据平台"}).get_data(as_text=True)
    token = html.split('class="token-once">')[1].split("<")[0]
    row = db.session.scalar(db.select(ApiToken))
    assert token.startswith("fx_") and token not in row.token_hash and row.prefix == token[:10]
    client.post("/logout")
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.get("/api/v1/indicators?period=2024Q3", headers=auth)
    assert resp.status_code == 200 and len(resp.get_json()["indicators"]) == len(INDICATORS)
    login(city.admin)
    assert "请填写令牌用途" in client.post("/office/api-tokens", data={"name": " "}).get_data(
        as_text=True
    )
    client.post(f"/office/api-tokens/{row.id}/revoke")
    client.post("/logout")
    assert client.get("/api/v1/indicators", headers=auth).status_code == 401


@pytest.mark.parametrize("user", ["viewer", "inspector"])
def test_only_the_admin_manages_tokens(client, city, login, user):
    login(getattr(city, user))
    assert client.get("/office/api-tokens").status_code == 403
    assert client.post("/office/api-tokens", data={"name": "x"}).status_code == 403
    assert client.post("/office/api-tokens/1/revoke").status_code == 403
    assert db.session.scalar(db.select(ApiToken)) is None


def test_window_strategy_gives_the_same_figures(city, data, monkeypatch):
    from app.indicators import sql

    scope = make_scope(parse_period("2024Q3"))
    correlated = {ind.code: rollup(ind, scope) for ind in INDICATORS}
    monkeypatch.setattr(sql, "LATEST_STRATEGY", "window")
    assert {ind.code: rollup(ind, scope) for ind in INDICATORS} == correlated


def test_report_sheets_keep_formula_like_text_as_text_without_an_apostrophe():
    from openpyxl import Workbook

    from app.indicators.reports import _sheet

    sheet = _sheet(Workbook(), "指标", ["名称"], [["=HYPERLINK(1)"], ["-5 项"]])
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["=HYPERLINK(1)", "-5 项"]
    assert {sheet.cell(r, 1).data_type for r in (2, 3)} == {"s"}
    saved = io.BytesIO()
    sheet.parent.save(saved)
    assert load_workbook(saved)["指标"]["A2"].value == "=HYPERLINK(1)"
