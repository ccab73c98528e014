"""Office pages that broke: state codes, titles, stale "latest" inspections, the training lists."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.drill import drill_query
from app.indicators.rollup import make_scope, rollup
from app.models import Complaint, LedgerEntry
from tests.indicators.conftest import local

OUTSIDE = "超出12个月，不计入"
OTHER = "非本指标检查项目，不计入"


def xlsx_rows(client, url: str) -> dict[str, list[tuple]]:
    """{sheet name: its rows after the header} of a downloaded workbook."""
    resp = client.get(url)
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    return {
        name: list(book[name].iter_rows(min_row=2, values_only=True)) for name in book.sheetnames
    }


@pytest.fixture
def followed(city, at, make_inspection):
    """A verified ledger entry due in 2024Q3 and a complaint closed in it."""
    cater = at(category="restaurant_small", name="老街面馆")
    ins = make_inspection(cater, "catering", local(2024, 7, 1))
    db.session.add(
        LedgerEntry(
            establishment_id=cater.id,
            inspection_id=ins.id,
            item_id="k",
            item_text="地面油污",
            handling="deadline",
            due_date=date(2024, 7, 20),
            state="verified",
            verified_at=local(2024, 7, 15),
        )
    )
    db.session.add(
        Complaint(
            establishment_id=cater.id,
            text="t",
            sender_hash="h",
            created_at=local(2024, 7, 2),
            closed_at=local(2024, 7, 5),
            state="closed",
        )
    )
    db.session.commit()


def test_drill_down_shows_state_labels_not_codes(client, city, login, followed):
    login(city.viewer)
    html = client.get("/office/indicators/ledger_on_time?period=2024Q3&list=all").get_data(
        as_text=True
    )
    assert "已销号" in html and "· verified" not in html
    html = client.get("/office/indicators/complaints_15_days?period=2024Q3&list=all").get_data(
        as_text=True
    )
    assert "已办结" in html and "· closed" not in html
    sheets = xlsx_rows(client, "/office/indicators/ledger_on_time.xlsx?period=2024Q3")
    assert sheets["已计入分子"][0][-1].endswith("· 已销号")


def test_indicator_page_title_is_in_the_pages_language(client, city, login):
    ind = get_indicator("five_goods")
    login(city.viewer)
    html = client.get("/office/indicators/five_goods").get_data(as_text=True)
    assert f"<h1>{ind.title}</h1>" in html and ind.title_en not in html
    client.post("/lang/en")
    html = client.get("/office/indicators/five_goods").get_data(as_text=True)
    assert f"<h1>{ind.title_en}</h1>" in html and ind.title not in html


@pytest.fixture
def stale(city, at, make_inspection):
    """Rural shops: inspected long ago, inspected under another programme, failed in window."""
    old = at(name="老检查小卖部")
    make_inspection(old, "five_goods", local(2023, 1, 15), five_goods_met=True)
    other = at(name="别的检查小卖部")
    make_inspection(other, "three_small", local(2024, 8, 1))
    failed = at(name="未达标小卖部")
    make_inspection(failed, "five_goods", local(2024, 8, 1), five_goods_met=False)
    return old, other, failed


def test_a_gap_row_says_why_its_last_inspection_does_not_count(client, city, login, stale):
    login(city.viewer)
    html = client.get("/office/indicators/five_goods?period=2024Q3&list=gap").get_data(as_text=True)
    assert "2023-01-15" in html  # still shown: the clerk sees when the shop was last visited
    assert html.count(OUTSIDE) == 1 and html.count(OTHER) == 1
    sheets = xlsx_rows(client, "/office/indicators/five_goods.xlsx?period=2024Q3")
    notes = {row[3]: row[-1] for row in sheets["差距清单"]}
    assert notes == {"老检查小卖部": OUTSIDE, "别的检查小卖部": OTHER, "未达标小卖部": None}


def test_visits_count_any_programme_so_only_old_inspections_are_marked(client, city, login, stale):
    login(city.viewer)
    html = client.get("/office/indicators/visit_frequency?period=2024Q3&list=all").get_data(
        as_text=True
    )
    assert html.count(OUTSIDE) == 1 and OTHER not in html


@pytest.fixture
def caterers(city, at, make_inspection):
    """Catering units: all five trained, three of five, and one never inspected."""
    units = {}
    for name, trained in (("全员培训饭店", 5), ("部分培训饭店", 3), ("未检查饭店", None)):
        est = units[name] = at(category="restaurant_small", name=name)
        if trained is not None:
            make_inspection(
                est, "catering", local(2024, 8, 1), staff_count=5, staff_trained=trained
            )
    return units


def test_catering_xlsx_lists_each_unit_on_one_sheet(client, city, login, caterers):
    login(city.viewer)
    sheets = xlsx_rows(client, "/office/indicators/catering_staff_trained.xlsx?period=2024Q3")
    gap = {row[3] for row in sheets["差距清单"]}
    counted = {row[3] for row in sheets["已计入分子"]}
    assert counted == {"全员培训饭店"}
    assert gap == {"部分培训饭店", "未检查饭店"}
    summary = dict(sheets["汇总"])
    assert "部分培训" in summary["清单说明"]
    numerators = [row[5] for row in sheets["差距清单"] + sheets["已计入分子"]]
    assert sum(numerators) == summary["分子"] == 8


def test_drill_lists_partition_every_indicators_subjects(city, caterers, stale, followed):
    from app.indicators import INDICATORS

    scope = make_scope(parse_period("2024Q3"))
    for ind in INDICATORS:
        lists = {
            w: db.session.execute(drill_query(ind, scope, w)).all() for w in ("gap", "counted")
        }
        gap, counted = ({r.subject_id for r in rows} for rows in lists.values())
        assert not gap & counted, ind.code
        every = db.session.execute(drill_query(ind, scope, "all")).all()
        assert gap | counted == {r.subject_id for r in every}
        num = sum(r.num for rows in lists.values() for r in rows)
        assert num == rollup(ind, scope)[None].num, ind.code


def test_the_drill_page_explains_the_staff_weighted_lists(client, city, login, caterers):
    login(city.viewer)
    html = client.get("/office/indicators/catering_staff_trained?period=2024Q3&list=gap").get_data(
        as_text=True
    )
    assert "部分培训饭店" in html and "全员培训饭店" not in html
    assert "每个单位只出现在其中一个清单" in html
