"""Export of the office inspection list: the list's filters, every row, XLSX and CSV."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.core.clock import local_today
from app.core.tabular import cell_text
from tests.factories import form_for

HEADERS = [
    "检查日期", "单位名称", "类别", "所属辖区", "检查项目", "检查人员", "第二检查人员", "结果",
    "得分", "等级", "不合格项数", "版本", "检查编号",
]  # fmt: skip
AMENDMENT = form_for("five_goods", fail=(), extra={"reason": "补录：健康证当场出示"})


def exported(client, query=""):
    """The XLSX export's sheet and its rows as dicts keyed by the headers."""
    response = client.get(f"/office/inspections/export.xlsx{query}")
    assert response.status_code == 200
    assert "inspections.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["检查记录"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == HEADERS
    return sheet, [dict(zip(HEADERS, row, strict=True)) for row in rows]


def list_total(client, query="") -> int:
    """The total the list page states (共 N 条)."""
    page = client.get(f"/office/inspections{query}").get_data(as_text=True)
    found = re.search(r"共 (\d+) 条", page)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("viewer", 200), ("inspector", 403), (None, 302)]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_access(client, login, city, several, who, status, fmt):
    client.post("/logout")
    if who:
        login(getattr(city, who))
    response = client.get(f"/office/inspections/export.{fmt}")
    assert response.status_code == status
    if who is None:
        assert "/login" in response.headers["Location"]


def test_other_formats_are_not_found(client, several):
    assert client.get("/office/inspections/export.pdf").status_code == 404


def test_export_has_every_row_of_the_list_not_just_the_page(client, app, several):
    app.config["FANGXIN_PAGE_SIZE"] = 2
    sheet, rows = exported(client)
    assert len(rows) == list_total(client) == 3
    assert sorted(r["单位名称"] for r in rows) == ["北店", "北店", "南店"]
    assert sheet["A2"].is_date and rows[0]["检查日期"].date() == local_today()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?outcome=basic", ["北店"]),
        ("?jurisdiction_id={south}", ["南店"]),
        ("?inspector_id={inspector}", ["北店", "北店"]),
        ("?programme=market", []),
    ],
)
def test_export_applies_the_list_filters(client, city, several, query, expected):
    query = query.format(south=city.south.id, inspector=city.inspector.id)
    _sheet, rows = exported(client, query)
    assert [r["单位名称"] for r in rows] == expected
    assert len(rows) == list_total(client, query)


def test_row_values(client, city, several):
    _sheet, rows = exported(client, "?outcome=basic")
    (row,) = rows
    assert row["类别"] == "农村食品经营店" and row["所属辖区"] == "新区街道 · 新华社区"
    assert (row["结果"], row["等级"], row["不合格项数"]) == ("基本符合", "“五好”未达标", 1)
    assert row["检查人员"] == city.inspector.display_name and row["第二检查人员"] == "李四"
    assert row["检查项目"] and row["版本"] == 1 and isinstance(row["检查编号"], int)


def test_csv_has_the_same_rows_with_a_bom(client, several):
    query = "?inspector_id=&date_from=" + local_today().isoformat()
    sheet, _rows = exported(client, query)
    response = client.get(f"/office/inspections/export.csv{query}")
    assert response.data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table == [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(table) == 4 and table[1][0] == local_today().isoformat()


def test_export_is_in_chinese_whatever_the_interface_language(client, several):
    client.post("/lang/en")
    _sheet, rows = exported(client, "?outcome=basic")
    assert (rows[0]["类别"], rows[0]["结果"]) == ("农村食品经营店", "基本符合")


def test_superseded_revisions_are_left_out_as_on_the_list(client, login, city, submitted):
    client.post(f"/field/inspections/{submitted.id}/amend", data=AMENDMENT)
    client.post("/logout")
    login(city.viewer)
    _sheet, rows = exported(client)
    assert [(r["版本"], r["结果"], r["不合格项数"]) for r in rows] == [(2, "符合", 0)]
    assert len(rows) == list_total(client)


def test_list_links_to_the_export_with_its_filters(client, city, several):
    page = client.get(f"/office/inspections?outcome=basic&jurisdiction_id={city.north.id}&fmt=x")
    html = page.get_data(as_text=True)  # a stray fmt argument does not break the links
    for fmt in ("xlsx", "csv"):
        assert f"/office/inspections/export.{fmt}?outcome=basic&amp;jurisdiction_id=" in html
