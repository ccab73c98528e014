"""Bulk import with preview and confirm, and export that reads back in."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from app.core.tabular import read_table
from app.extensions import db
from app.models import AuditEvent, Establishment
from app.registry.establishments import close_establishment

from .importing import confirm, count, upload

HEADER = ["名称", "类别", "辖区", "地址", "许可证号", "经营者", "联系电话"]


def rows_for(city):
    return [
        ["好运来商店", "农村食品经营店", "新区街道 · 新华社区", "新华路1号", "JY001", "张三", "13800000001"],
        ["", "农村食品经营店", "新华社区", "无名路", "JY002", "", ""],
        ["火星餐厅", "太空餐馆", "新华社区", "", "JY003", "", ""],
        ["无主小店", "小经营店", "不存在社区", "", "JY004", "", ""],
        ["重复证号店", "小摊点", "苗村", "", "JY-TAKEN", "", ""],
        ["同文件重复甲", "小摊点", "苗村", "", "JY005", "", ""],
        ["同文件重复乙", "小摊点", "苗村", "", "JY005", "", ""],
        ["第二好店", "学校食堂", "DQ-01", "", "", "", ""],
    ]  # fmt: skip


def csv_bytes(rows, encoding="utf-8-sig"):
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def admin(client, city, login, make_establishment):
    make_establishment(licence_no="JY-TAKEN")
    login(city.admin)
    return city


@pytest.mark.parametrize("kind", ["csv", "csv-gbk", "xlsx"])
def test_preview_lists_every_bad_row_and_imports_nothing(client, admin, kind):
    rows = rows_for(admin)
    data = {
        "csv": lambda: csv_bytes(rows),
        "csv-gbk": lambda: csv_bytes(rows, "gb18030"),
        "xlsx": lambda: xlsx_bytes(rows),
    }[kind]()
    before = count()
    response = upload(client, data, "名录." + ("xlsx" if kind == "xlsx" else "csv"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "共 8 行，其中 3 行可以导入，5 行有错误" in page
    assert "第 3 行" in page and "缺少名称" in page
    assert "第 4 行" in page and "未知类别“太空餐馆”" in page
    assert "第 5 行" in page and "未知或不明确的辖区“不存在社区”" in page
    assert "更新：名称、类别、辖区" in page  # JY-TAKEN is in the registry: an update
    assert "第 8 行" in page and "JY005 在文件中重复" in page
    assert "第 9 行" in page and "学校食堂须填写学校类型（幼儿园、小学、中学、职业学校）" in page
    assert "确认导入全部" not in page  # only the explicit good-rows choice is offered
    assert count() == before


def test_good_rows_only_is_an_explicit_choice(client, admin):
    page = upload(client, csv_bytes(rows_for(admin)), "a.csv").get_data(as_text=True)
    before = count()
    assert confirm(client, page, "all").status_code == 302
    assert count() == before  # "all" is refused while there are bad rows
    assert confirm(client, page, "good").status_code == 302
    assert count() == before + 2  # and JY-TAKEN updated
    shop = db.session.scalar(db.select(Establishment).where(Establishment.name == "好运来商店"))
    assert shop.jurisdiction_id == admin.north_c.id
    assert shop.licence_no == "JY001"
    audited = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.entity_id == shop.id, AuditEvent.action == "create")
    )
    assert audited.user_id == admin.admin.id


def test_clean_file_imports_all(client, admin):
    rows = [rows_for(admin)[0], rows_for(admin)[-1]]
    rows[-1][1], rows[-1][2] = "超市", "东区街道 · 东区社区"
    page = upload(client, xlsx_bytes(rows), "clean.xlsx").get_data(as_text=True)
    assert "确认导入全部 2 行" in page
    before = count()
    confirm(client, page, "all")
    assert count() == before + 2


def test_importing_the_same_file_twice_adds_nothing(client, admin):
    page = upload(client, csv_bytes(rows_for(admin)), "a.csv").get_data(as_text=True)
    confirm(client, page, "good")
    again = upload(client, csv_bytes(rows_for(admin)), "a.csv").get_data(as_text=True)
    assert "其中 0 行可以导入" in again
    assert "已在名录中，无变化" in again


def test_wrong_encoding_is_explained(client, admin):
    response = upload(client, csv_bytes(rows_for(admin), "utf-16"), "utf16.csv")
    assert "文件编码无法识别" in response.get_data(as_text=True)


def test_missing_header_is_explained(client, admin):
    response = upload(client, b"foo,bar\n1,2\n", "x.csv")
    assert "找不到必需的列：名称、类别、辖区" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.txt", b"hello", "只支持 .csv 和 .xlsx 文件"),
        ("x.xlsx", b"not a zip", "无法读取该 Excel 文件"),
        ("x.csv", b"", "文件是空的"),
    ],
)
def test_unreadable_files(client, admin, name, data, message):
    assert message in upload(client, data, name).get_data(as_text=True)


def test_ambiguous_community_name_is_refused(client, admin):
    from tests.factories import make_jurisdiction

    make_jurisdiction("DQ-09", "新华社区", "community", admin.south)
    db.session.commit()
    rows = [["甲", "小摊点", "新华社区", "", "", "", ""]]
    page = upload(client, csv_bytes(rows), "a.csv").get_data(as_text=True)
    assert "未知或不明确的辖区" in page


@pytest.fixture
def registry(admin, make_establishment):
    """One establishment of each kind of fact the export carries."""
    make_establishment(name='=HYPERLINK("x")', address="注入测试")
    make_establishment(name="学校甲", category="school_canteen", school_type="primary")
    make_establishment(name="市场乙", category="farm_market", risk_grade="B", latitude=34.7)
    make_establishment(name="中心丙", category="health_centre", surveillance_site=True)
    make_establishment(
        name="餐馆丁", category="restaurant_small",
        permit_issued_on=date(2021, 3, 1), licence_valid_until=date(2026, 2, 28),
    )  # fmt: skip
    closed = make_establishment(name="旧店戊", licence_valid_until=date(2020, 1, 1))
    close_establishment(None, closed, "经营者搬迁")
    db.session.commit()


def exported(client, fmt):
    """The registry's export, all states, read back as text rows."""
    response = client.get(f"/office/establishments/export.{fmt}?active=all")
    assert response.status_code == 200
    return response.data, read_table(f"export.{fmt}", response.data)


def test_export_is_safe_and_typed(client, registry):
    data, _table = exported(client, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名称", "类别", "学校类型", "辖区")
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert "学校甲" in by_name and '=HYPERLINK("x")' in by_name  # text as written
    formula_like = next(c for c in sheet["A"] if c.value == '=HYPERLINK("x")')
    assert formula_like.data_type == "s"  # a text cell: never run as a formula
    assert by_name["餐馆丁"]["许可发证日期"].date() == date(2021, 3, 1)  # a date cell
    assert by_name["中心丙"]["食源性疾病监测哨点"] == "是"
    assert (by_name["旧店戊"]["状态"], by_name["旧店戊"]["注销原因"]) == ("已注销", "经营者搬迁")
    assert client.get("/office/establishments/export.csv").data.startswith("\ufeff".encode())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_round_trip(client, registry, fmt):
    data, before = exported(client, fmt)
    # Read the export back into an empty registry: every row is accepted as it is.
    db.session.execute(db.delete(AuditEvent))
    db.session.execute(db.delete(Establishment))
    db.session.commit()
    page = upload(client, data, f"export.{fmt}").get_data(as_text=True)
    assert f"共 {len(before) - 1} 行，其中 {len(before) - 1} 行可以导入，0 行有错误" in page
    assert "（导入为已注销）" in page
    confirm(client, page, "all")
    _data, after = exported(client, fmt)
    assert after[0] == before[0]
    everything_but_the_new_code = slice(0, -1)
    assert sorted(r[everything_but_the_new_code] for r in after[1:]) == sorted(
        r[everything_but_the_new_code] for r in before[1:]
    )
    closed = db.session.scalar(db.select(Establishment).where(Establishment.name == "旧店戊"))
    assert not closed.active and closed.closed_at and closed.closed_reason == "经营者搬迁"
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.entity_id == closed.id)
    )
    assert sorted(actions) == ["close", "create"]


def test_export_follows_the_filters(client, admin, make_establishment):
    make_establishment(name="北店", jurisdiction_id=admin.north_c.id)
    make_establishment(name="南店", jurisdiction_id=admin.south_c.id)
    body = client.get(f"/office/establishments/export.csv?jurisdiction_id={admin.south.id}")
    text = body.data.decode("utf-8-sig")
    assert "南店" in text and "北店" not in text


def test_export_links_survive_a_stray_fmt_argument(client, registry):
    html = client.get("/office/establishments?active=all&fmt=x").get_data(as_text=True)
    assert "/office/establishments/export.xlsx?active=all" in html
