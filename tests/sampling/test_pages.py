"""The phone entry page, the placard's 今日快检, the office register and its export."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.core.clock import local_today
from app.extensions import db
from app.models import LedgerEntry, Sample
from app.sampling.record import record_samples
from tests.sampling.helpers import failing, form_of, row


@pytest.fixture
def market(make_establishment):
    return make_establishment(name="城东农贸市场", category="farm_market")


def samples_url(est) -> str:
    return f"/field/establishments/{est.id}/samples"


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


ENTRY_ACCESS = [
    (None, 302),
    ("viewer", 403),
    ("other_inspector", 404),
    ("inspector", 200),
    ("admin", 200),
]


@pytest.mark.parametrize(("who", "status"), ENTRY_ACCESS)
def test_who_may_enter_tests(client, login, city, market, who, status):
    if who:
        login(getattr(city, who))
    assert client.get(samples_url(market)).status_code == status
    answer = client.post(samples_url(market), data=form_of([row()]))
    assert answer.status_code == (302 if status == 200 else status)
    assert count(Sample) == (1 if status == 200 else 0)


def test_the_page_offers_rows_with_their_own_uuids(client, login, city, market):
    login(city.inspector)
    page = client.get(samples_url(market)).get_data(as_text=True)
    assert page.count('name="rows-') > 10 and "rows-9-client_uuid" in page
    assert "快检录入" in page and "再加一行" in page


def test_a_double_tap_keeps_each_row_once(client, login, city, market):
    login(city.inspector)
    form = form_of([row(), failing(), row("芹菜")], tester_name="王丽")
    for _ in range(2):
        answer = client.post(samples_url(market), data=form)
        assert answer.status_code == 302
    assert count(Sample) == 3 and count(LedgerEntry) == 1
    assert {s.tester_name for s in db.session.scalars(db.select(Sample))} == {"王丽"}
    page = client.get(samples_url(market)).get_data(as_text=True)
    assert "已保存 3 条检测记录" in page and "芹菜" in page


def test_a_refused_form_keeps_what_was_typed(client, login, city, market):
    login(city.inspector)
    form = form_of([row("豇豆", stall="7号"), row("菠菜", result="")], tester_name="李娜")
    answer = client.post(samples_url(market), data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "第 2 行：请选择【检测结果】" in page
    assert 'value="豇豆"' in page and 'value="7号"' in page and 'value="李娜"' in page
    assert form["rows-0-client_uuid"] in page  # the resent form is still the same rows
    assert count(Sample) == 0


def test_the_field_page_of_a_market_links_the_entry(client, login, city, market, shop):
    login(city.inspector)
    assert samples_url(market) in client.get(f"/field/establishments/{market.id}").get_data(True)


def test_the_ledger_entry_of_a_failing_sample_shows_the_test(client, login, city, market):
    record_samples(city.inspector, market, [failing(stall="8号")])
    entry = db.session.scalar(db.select(LedgerEntry))
    login(city.inspector)
    page = client.get(f"/field/ledger/{entry.id}").get_data(as_text=True)
    assert "猪肉（8号）瘦肉精检测不合格" in page and "快检" in page and "下架" in page
    login(city.admin)
    assert client.get(f"/registers/ledger/{entry.id}").status_code == 200
    assert "瘦肉精检测不合格" in client.get("/field/ledger").get_data(as_text=True)


def test_the_placard_shows_the_last_days_tests_and_nothing_private(client, city, market):
    today = local_today()
    rows = [
        row("韭菜", stall="3号", tester_name="王丽检测员"),
        failing("猪肉", tester_name="王丽检测员", action_note="供货商张三 13800000000"),
        row("芹菜", tested_on=(today - timedelta(days=2)).isoformat()),
        row("旧白菜", tested_on=(today - timedelta(days=3)).isoformat()),
    ]
    record_samples(city.inspector, market, rows)
    page = client.get(f"/q/{market.qr_token}").get_data(as_text=True)
    section = page[page.index("今日快检") :]
    assert "韭菜" in section and "3号" in section and "猪肉" in section and "芹菜" in section
    assert "不合格" in section and "瘦肉精" in section
    assert "旧白菜" not in page
    for private in ("王丽", city.inspector.display_name, "张三", "13800000000"):
        assert private not in page
    data = client.get(f"/q/{market.qr_token}.json").get_json()
    assert [t["product"] for t in data["rapid_tests"]][:2] == ["韭菜", "猪肉"]
    assert set(data["rapid_tests"][0]) == {
        "date",
        "stall",
        "product",
        "test_item",
        "method",
        "result",
    }


def test_a_market_without_tests_says_so(client, market, make_establishment):
    canteen = make_establishment(category="school_canteen", school_type="primary")
    assert "近三天没有快检记录" in client.get(f"/q/{market.qr_token}").get_data(as_text=True)
    assert "今日快检" not in client.get(f"/q/{canteen.qr_token}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("inspector", 403), ("viewer", 200), ("admin", 200)]
)
def test_who_reads_the_register(client, login, city, who, status):
    if who:
        login(getattr(city, who))
    assert client.get("/registers/samples").status_code == status
    assert client.get("/registers/samples/export.xlsx").status_code == status


def test_the_register_filters_and_exports(client, login, city, market, make_establishment):
    other = make_establishment(
        name="城西农贸市场", category="farm_market", jurisdiction_id=city.south_c.id
    )
    record_samples(city.inspector, market, [row("韭菜"), failing("猪肉", tester_name="王丽")])
    earlier = local_today() - timedelta(days=40)
    record_samples(city.admin, other, [row("西瓜", tested_on=earlier.isoformat())])
    login(city.viewer)
    page = client.get(f"/registers/samples?result=fail&establishment_id={market.id}").get_data(True)
    assert "猪肉" in page and "韭菜" not in page and "西瓜" not in page
    span = f"first={earlier - timedelta(days=1)}&last={earlier}"
    page = client.get(f"/registers/samples?{span}").get_data(True)
    assert "西瓜" in page and "猪肉" not in page
    assert "没有符合条件" not in page
    assert client.get("/registers/samples?first=bad&result=odd").status_code == 200
    answer = client.get("/registers/samples/export.xlsx?result=fail")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    header, *rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert header[:7] == ["检测日期", "单位", "摊位", "样品名称", "检测项目", "检测方式", "结果"]
    assert len(rows) == 1
    assert rows[0][1:7] == ["城东农贸市场", None, "猪肉", "瘦肉精", "快检", "不合格"]
    assert rows[0][11] == "下架、销毁" and rows[0][13] == "王丽"
    assert "西瓜" in client.get("/registers/samples/export.csv").get_data(True)
