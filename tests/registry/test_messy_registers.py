"""Registers as offices keep them: title rows, two-row headers, merged and hidden cells,
totals, GBK, numbers as phones, every date form, 长期, over-long and control characters."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from app.core.tabular import read_sheet, write_xlsx
from app.extensions import db
from app.models import AuditEvent, Establishment
from app.registry.establishments import create_establishment
from app.registry.import_columns import KNOWN_TITLES

from .importing import confirm, upload

LONG_PHONE = "1" * 36


def messy_xlsx() -> bytes:
    """A register as a clerk keeps it in Excel."""
    book = Workbook()
    sheet = book.active
    sheet.append(["义马市食品经营单位名录（2024年）"])
    sheet.merge_cells("A1:J1")
    sheet.append(["填报单位：市场监管所", None, None, None, None, "填报日期：2024-06-01"])
    sheet.append(["序号", "单位\n名称", "类别", "所属　社区", "经营者", "许可证信息", None, None,
                  "联系电话：", "电话", "地址"])  # fmt: skip
    sheet.append([None, None, None, None, None, "许可证编号", "发证日期", "有效期至"])
    for col in "ABCDE":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("I3:I4")
    sheet.merge_cells("K3:K4")
    sheet.merge_cells("F3:H3")
    sheet.column_dimensions["J"].hidden = True  # a stale phone column
    sheet.append([1, "\u3000好运来商店 ", "农村食品经营店", "新华社区", "张三", "JY001",
                  datetime(2021, 3, 1), 46081, 13803981234.0, 111, "新华路1号"])  # fmt: skip
    sheet.append([2, "平安超市", "超市", None, "李四", "JY002", "2023.5.6", "长期",
                  3987654321, 222, "新华路_x000B_2号"])  # fmt: skip
    sheet.merge_cells("D5:D6")  # both shops in 新华社区; _x000B_: Word's \x0b as Excel stores it
    sheet.append([])
    sheet.append([3, "隐藏小店", "小摊点", "苗村", "", "JY009", "", "", "", "", ""])
    sheet.row_dimensions[8].hidden = True
    sheet.append([4, "东方小吃", "小摊点", "苗村", "王五", "JY003", "2023/5/6", "2028年5月6日",
                  LONG_PHONE, "", ""])  # fmt: skip
    sheet.append([5, "石河便利店", "小经营店", "石河村", "", "JY004", "2023-05-06", "", "", "", ""])
    sheet.append(["合计", "4 家"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gbk_csv(encoding="gbk") -> bytes:
    lines = [
        "义马市三小名录,,,,,",
        "名称,类别,辖区,许可证号,有效期至,联系电话",
        "老王小吃,小摊点,苗村,DJ001,2023年5月6日,13800000002",
        "老李作坊,食品小作坊,石河村,DJ002,长期,",
        ",,,,,",
        "总计：2,,,,,",
    ]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def by_name(name):
    return db.session.scalar(db.select(Establishment).where(Establishment.name == name))


@pytest.fixture
def admin(client, city, login):
    login(city.admin)
    return city


def test_the_header_is_found_under_title_rows_and_two_rows_combined(app):
    sheet = read_sheet("a.xlsx", messy_xlsx(), KNOWN_TITLES)
    assert sheet.header_rows == (3, 4)
    assert sheet.header[:6] == ["序号", "单位名称", "类别", "所属社区", "经营者", "许可证编号"]
    assert sheet.header[6:] == ["发证日期", "有效期至", "联系电话", "地址"]  # 电话 is hidden
    assert sheet.hidden_columns == ["电话"] and sheet.hidden_rows == [8]
    assert sheet.empty_rows == 1 and sheet.total_rows == [11]
    assert [n for n, _cells in sheet.rows] == [5, 6, 9, 10]
    assert sheet.rows[1][1][3] == "新华社区"  # merged cell filled down
    assert sheet.rows[0][1][1] == "好运来商店"  # full-width and trailing spaces trimmed


def test_a_title_merged_across_is_not_a_header_row(app):
    book = Workbook()
    sheet = book.active
    sheet.append(["义马市食品经营单位名录"])
    sheet.merge_cells("A1:D1")
    sheet.append(["名称", "类别", "辖区", "地址"])
    sheet.append(["甲店", "超市", "苗村", "一路"])
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheet("a.xlsx", out.getvalue(), KNOWN_TITLES)
    assert sheet.header_rows == (2,) and sheet.rows == [(3, ["甲店", "超市", "苗村", "一路"])]


def test_a_messy_register_previews_and_imports(client, admin):
    page = upload(client, messy_xlsx(), "名录.xlsx").get_data(as_text=True)
    assert "两行表头（第 3、4 行）已合并。上方 2 行（标题）已跳过。" in page
    assert "隐藏的列未导入：电话。" in page and "隐藏的行未导入：第 8 行。" in page
    assert "跳过 1 个空行。" in page and "合计行未导入：第 11 行。" in page
    assert "共 4 行，其中 3 行可以导入，1 行有错误" in page
    assert "联系电话过长：36 个字符，最多 32 个" in page
    assert "有效期“长期”：按无截止日期导入" in page
    assert "联系电话“3987654321”像是缺了开头 0 的固定电话" in page
    assert by_name("好运来商店") is None  # nothing written before confirm
    confirm(client, page, "good")
    first, second = by_name("好运来商店"), by_name("平安超市")
    assert first.contact_phone == "13803981234" and first.jurisdiction_id == admin.north_c.id
    assert (first.permit_issued_on, first.licence_valid_until) == (
        date(2021, 3, 1),
        date(2026, 2, 28),
    )
    assert second.jurisdiction_id == admin.north_c.id and second.address == "新华路2号"
    assert second.permit_issued_on == date(2023, 5, 6) and second.licence_valid_until is None
    assert second.contact_phone == "3987654321"
    assert by_name("石河便利店").permit_issued_on == date(2023, 5, 6)
    assert by_name("东方小吃") is None and by_name("隐藏小店") is None


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings_are_detected(client, admin, encoding):
    page = upload(client, gbk_csv(encoding), "三小.csv").get_data(as_text=True)
    assert "表头在第 2 行。上方 1 行（标题）已跳过。" in page
    assert "共 2 行，其中 2 行可以导入，0 行有错误" in page and "合计行未导入：第 6 行。" in page
    confirm(client, page, "all")
    assert by_name("老王小吃").licence_valid_until == date(2023, 5, 6)
    assert by_name("老李作坊").licence_valid_until is None


@pytest.mark.parametrize("text", ["2023-05-06", "2023/5/6", "2023.5.6", "2023年5月6日", "45052"])
def test_every_date_form(client, admin, text):
    data = f"名称,类别,辖区,发证日期\n甲店,超市,苗村,{text}\n".encode()
    confirm(client, upload(client, data, "a.csv").get_data(as_text=True), "all")
    assert by_name("甲店").permit_issued_on == date(2023, 5, 6)


def test_a_known_licence_number_is_an_update(client, admin, make_establishment):
    est = make_establishment(name="老店", licence_no="JY100", address="旧址", operator="赵")
    data = "名称,类别,辖区,许可证号,地址,经营者,联系电话\n老店,超市,苗村,JY100,新址,,139\n"
    page = upload(client, data.encode(), "a.csv").get_data(as_text=True)
    assert "更新：类别、辖区、地址、联系电话" in page
    confirm(client, page, "all")
    db.session.refresh(est)
    assert (est.category, est.address, est.contact_phone) == ("supermarket", "新址", "139")
    assert est.operator == "赵"  # an empty cell does not erase
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.entity_id == est.id, AuditEvent.action == "update")
    )
    assert set(event.changes) >= {"category", "address", "contact_phone", "jurisdiction_id"}
    assert event.user_id == admin.admin.id


def test_a_control_character_no_longer_breaks_the_xlsx_export(client, admin):
    create_establishment(
        None, name="甲\x0b店", category="supermarket", jurisdiction_id=admin.south_v.id
    )
    db.session.commit()
    response = client.get("/office/establishments/export.xlsx")
    assert response.status_code == 200
    names = [c.value for c in load_workbook(io.BytesIO(response.data)).active["A"]]
    assert "甲店" in names


def test_written_text_is_never_a_formula_and_csv_stays_neutralised(
    client, admin, make_establishment
):
    make_establishment(name='=HYPERLINK("x")')
    cell = load_workbook(io.BytesIO(write_xlsx({"s": (["a"], [["=1+1"]])}))).active["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    csv_body = client.get("/office/establishments/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body
    db.session.execute(db.delete(Establishment))
    db.session.commit()
    page = upload(client, csv_body.encode(), "back.csv").get_data(as_text=True)
    confirm(client, page, "all")
    assert by_name('=HYPERLINK("x")') is not None  # round trip without the apostrophe


def test_a_closed_unit_is_refused_by_name(client, admin):
    admin.south_v.active = False
    db.session.commit()
    data = "名称,类别,辖区\n甲店,超市,苗村\n乙店,超市,石河村\n".encode()
    page = upload(client, data, "a.csv").get_data(as_text=True)
    assert "辖区“苗村”已撤销，请改填现在的辖区" in page
    assert "共 2 行，其中 1 行可以导入，1 行有错误" in page


def test_a_sheet_whose_rows_are_all_hidden_is_empty(client, admin):
    book = Workbook()
    book.active.append(["名称", "类别", "辖区"])
    book.active.row_dimensions[1].hidden = True
    out = io.BytesIO()
    book.save(out)
    assert "文件是空的" in upload(client, out.getvalue(), "a.xlsx").get_data(as_text=True)


def test_a_csv_the_csv_module_cannot_read_is_explained(client, admin):
    data = ("名称,类别,辖区\n" + '"' + "长" * 140000 + '",超市,苗村\n').encode()
    assert "无法读取该 CSV 文件" in upload(client, data, "a.csv").get_data(as_text=True)
