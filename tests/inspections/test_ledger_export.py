"""Export of the office hazard ledger: the ledger's filters, every row, XLSX and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.core.clock import local_today
from app.core.tabular import cell_text
from app.extensions import db
from app.inspections import ledger
from tests.factories import answer

HEADERS = [
    "单位名称", "所属辖区", "检查项", "处理方式", "整改期限", "状态", "是否逾期", "开立日期",
    "整改完成日期", "复查日期", "备注",
]  # fmt: skip


@pytest.fixture
def entries(city, make_establishment, make_inspection):
    """北店 overdue and open, 南店 escalated in the other area, 西店 rectified, 旧店 verified."""
    today = local_today()

    def entry(name, due, handling="deadline", **est):
        est = make_establishment(name=name, **est)
        answers = {"a1": answer("fail", handling, today + timedelta(days=due))}
        return ledger.open_actions(make_inspection(est, answers=answers))[0]

    entry("北店", -1)
    ledger.escalate(
        city.admin, entry("南店", 5, "investigate", jurisdiction_id=city.south_c.id), "移交立案"
    )
    ledger.rectify(city.inspector, entry("西店", 3), "已更换防蝇帘")
    ledger.verify(city.inspector, entry("旧店", -3), note="复查合格")
    db.session.commit()


def exported(client, query=""):
    """The XLSX export's sheet and its rows as dicts keyed by the headers."""
    response = client.get(f"/registers/ledger/export.xlsx{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["挂账督办台账"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == HEADERS
    return sheet, {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows}


def list_total(client, query="") -> int:
    """The total the ledger page states (共 N 条), 0 when it lists nothing."""
    page = client.get(f"/registers/ledger{query}").get_data(as_text=True)
    found = re.search(r"共 (\d+) 条", page)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("viewer", 200), ("inspector", 403), (None, 302)]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_access(client, login, city, entries, who, status, fmt):
    if who:
        login(getattr(city, who))
    response = client.get(f"/registers/ledger/export.{fmt}")
    assert response.status_code == status
    if who is None:
        assert "/login" in response.headers["Location"]


def test_other_formats_are_not_found(client, login, city, entries):
    login(city.viewer)
    assert client.get("/registers/ledger/export.xls").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["北店", "南店", "西店"]),  # the page's default: entries not yet verified
        ("?state=all", ["北店", "南店", "西店", "旧店"]),
        ("?state=verified", ["旧店"]),
        ("?jurisdiction_id={south}", ["南店"]),
        ("?overdue=1", ["北店"]),
    ],
)
def test_export_applies_the_ledger_filters(client, login, city, entries, query, expected):
    login(city.viewer)
    query = query.format(south=city.south.id)
    _sheet, rows = exported(client, query)
    assert sorted(rows) == sorted(expected)
    assert len(rows) == list_total(client, query)


def test_every_row_not_just_the_page(client, app, login, city, entries):
    app.config["FANGXIN_PAGE_SIZE"] = 2
    login(city.admin)
    _sheet, rows = exported(client, "?state=all")
    assert len(rows) == list_total(client, "?state=all") == 4


def test_row_values_and_date_cells(client, login, city, entries):
    login(city.viewer)
    sheet, rows = exported(client, "?state=all")
    today = local_today()
    north, south, west, old = (rows[n] for n in ("北店", "南店", "西店", "旧店"))
    assert (north["检查项"], north["处理方式"], north["状态"]) == (
        "检查项 a1",
        "书面限期整改",
        "待整改",
    )
    assert (north["是否逾期"], north["所属辖区"]) == ("是", "新区街道 · 新华社区")
    assert (
        north["整改期限"].date() == today - timedelta(days=1) and north["开立日期"].date() == today
    )
    assert sheet["E2"].is_date and sheet["H2"].is_date
    assert (south["处理方式"], south["状态"], south["是否逾期"]) == ("调查处理", "已升级督办", "否")
    assert south["备注"] == "移交立案" and south["整改完成日期"] is None
    assert west["状态"] == "已整改待复查" and west["整改完成日期"].date() == today
    assert (old["状态"], old["是否逾期"], old["备注"]) == ("已销号", "否", "复查合格")
    assert old["复查日期"].date() == today


def test_csv_has_the_same_rows_with_a_bom(client, login, city, entries):
    login(city.viewer)
    sheet, _rows = exported(client, "?state=all")
    response = client.get("/registers/ledger/export.csv?state=all")
    assert response.data.startswith("\ufeff".encode())
    assert "hazard-ledger.csv" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table == [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(table) == 5


def test_ledger_links_to_the_export_with_its_filters(client, login, city, entries):
    login(city.viewer)
    page = client.get("/registers/ledger?state=all&overdue=1&fmt=x")
    html = page.get_data(as_text=True)  # a stray fmt argument does not break the links
    for fmt in ("xlsx", "csv"):
        assert f"/registers/ledger/export.{fmt}?state=all&amp;overdue=1" in html
