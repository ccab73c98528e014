"""The importer's typed columns: dates, 是/否, risk grade, status, and the school type."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from app.extensions import db
from app.models import Establishment

from .importing import confirm, upload

HEADER = ["名称", "类别", "学校类型", "辖区", "发证日期", "有效期至", "监测哨点", "风险等级",
          "状态", "注销原因"]  # fmt: skip


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows):
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(name="甲店", category="超市", **cells):
    """A data row under HEADER; cells by English key override the blanks."""
    keys = ("school_type", "jurisdiction", "issued", "until", "site", "grade", "status", "reason")
    values = {"jurisdiction": "苗村"} | cells
    return [name, category, *(values.get(k, "") for k in keys)]


def establishment(name):
    return db.session.scalar(db.select(Establishment).where(Establishment.name == name))


@pytest.fixture
def admin(client, city, login):
    login(city.admin)
    return city


def test_typed_columns_are_read(client, admin):
    rows = [
        row("甲店", issued="2021/3/1", until="2026年2月28日", site="是", grade="b级"),
        row("乙店", "学校食堂", school_type="小学", until="2030-01-31", site="否", grade="A",
            status="已注销", reason="学校合并"),
        row("丙店", "小摊点", school_type="小学", status="注销"),
    ]  # fmt: skip
    page = upload(client, csv_bytes(rows), "a.csv").get_data(as_text=True)
    assert "共 3 行，其中 3 行可以导入，0 行有错误" in page
    confirm(client, page, "all")
    first, second, third = establishment("甲店"), establishment("乙店"), establishment("丙店")
    assert (first.permit_issued_on, first.licence_valid_until) == (
        date(2021, 3, 1),
        date(2026, 2, 28),
    )
    assert first.surveillance_site and first.risk_grade == "B" and first.active
    assert second.school_type == "primary" and second.risk_grade == "A"
    assert not second.surveillance_site and second.licence_valid_until == date(2030, 1, 31)
    assert not second.active and second.closed_reason == "学校合并" and second.closed_at
    assert third.school_type is None  # only a canteen has one, as on the office form
    assert not third.active and third.closed_reason == "导入名录时已注销"


def test_excel_date_cells_and_serials(client, admin):
    rows = [row("甲店", issued=datetime(2021, 3, 1), until=46081)]  # 46081: 2026-02-28
    page = upload(client, xlsx_bytes(rows), "a.xlsx").get_data(as_text=True)
    confirm(client, page, "all")
    shop = establishment("甲店")
    assert (shop.permit_issued_on, shop.licence_valid_until) == (
        date(2021, 3, 1),
        date(2026, 2, 28),
    )


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"issued": "2024-13-01"}, "许可发证日期“2024-13-01”不是有效日期，请写成 2024-05-01"),
        ({"until": "去年"}, "许可证有效期至“去年”不是有效日期"),
        ({"until": "2024-02-30"}, "许可证有效期至“2024-02-30”不是有效日期"),
        ({"issued": "2024-05-01", "until": "2024-4-30"}, "许可证有效期至早于许可发证日期"),
        ({"grade": "E"}, "风险等级“E”应为 A、B、C 或 D"),
        ({"site": "可能"}, "食源性疾病监测哨点“可能”应填 是 或 否"),
        ({"status": "暂停"}, "未知状态“暂停”（应为 在营 或 已注销）"),
        ({"category": "学校食堂"}, "学校食堂须填写学校类型（幼儿园、小学、中学、职业学校）"),
        ({"category": "学校食堂", "school_type": "大学"}, "未知学校类型“大学”"),
    ],
)
def test_bad_cells_make_a_bad_row(client, admin, cells, reason):
    rows = [row("坏店", **cells), row("好店")]
    page = upload(client, csv_bytes(rows), "a.csv").get_data(as_text=True)
    assert "共 2 行，其中 1 行可以导入，1 行有错误" in page
    assert "第 2 行" in page and reason in page
    confirm(client, page, "good")
    assert establishment("坏店") is None and establishment("好店") is not None
