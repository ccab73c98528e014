"""Bulk import of users: every row checked before anything is written, then applied."""

import csv
import io

import pytest

from app.core.tabular import TableError
from app.core.user_import import apply_rows, read_users, summary
from app.extensions import db
from app.models import AuditEvent, User
from tests.factories import make_jurisdiction

HEADER = ["用户名", "姓名", "电话", "角色", "辖区"]


def as_csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8")


def check(*rows, header=HEADER, above=()):
    _sheet, checked = read_users("people.csv", as_csv([*above, header, *rows]))
    return checked


def one(*row):
    (checked,) = check(row)
    return checked


def user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def test_new_users_with_areas_by_code_name_and_full_name(city):
    rows = check(
        ("zhao", "赵检查", "13800000001", "检查员", "XQ、东区街道"),
        ("qian", "钱查看", "", "查看者", ""),
        ("sun", "孙管理", "", "admin", ""),
        ("li", "李检查", "", "inspector", "新区街道 · 新华社区；DQ-02"),
    )
    assert [r.action for r in rows] == ["new"] * 4
    assert [j.code for j in rows[0].areas] == ["XQ", "DQ"]
    assert [j.code for j in rows[3].areas] == ["XQ-01", "DQ-02"]
    assert user("zhao") is None  # nothing written by the check
    counts, passwords = apply_rows(city.admin, rows)
    db.session.commit()
    assert counts == {"new": 4, "update": 0, "same": 0, "refused": 0}
    zhao = user("zhao")
    assert zhao.must_change_password and zhao.role == "inspector" and zhao.phone == "13800000001"
    assert [j.code for j in zhao.jurisdictions] == ["DQ", "XQ"]
    name, display, password = passwords[0]
    assert (name, display) == ("zhao", "赵检查") and zhao.check_password(password)
    assert user("sun").role == "admin" and user("qian").role == "viewer"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity_id == zhao.id))
    assert event.action == "create" and password not in str(event.changes)


def test_existing_users_are_updated_never_their_role_or_password(city):
    rows = check(
        ("inspector", "新名字", "139", "查看者", "DQ"),
        ("viewer", city.viewer.display_name, "", "查看者", ""),
    )
    assert [r.action for r in rows] == ["update", "same"]
    apply_rows(city.admin, rows)
    db.session.commit()
    db.session.refresh(city.inspector)
    inspector = city.inspector
    assert (inspector.display_name, inspector.phone, inspector.role) == (
        "新名字",
        "139",
        "inspector",
    )
    assert [j.code for j in inspector.jurisdictions] == ["DQ"]
    assert inspector.check_password("correct-horse") and not inspector.must_change_password


def test_the_same_areas_in_another_order_are_no_change(city):
    city.inspector.jurisdictions = [city.north, city.south]
    db.session.commit()
    name = city.inspector.display_name
    assert one("inspector", name, "", "检查员", "DQ XQ").action == "same"


def test_without_an_areas_column_an_update_keeps_the_areas(city):
    (row,) = check(("inspector", "改名", "检查员"), header=["用户名", "姓名", "角色"])
    assert row.action == "update"
    apply_rows(city.admin, [row])
    assert [j.code for j in user("inspector").jurisdictions] == ["XQ"]


@pytest.mark.parametrize(
    "row,reason",
    [
        (("a1", "甲", "", "科长", "XQ"), "未知角色“科长”"),
        (("a1", "甲", "", "检查员", "火星街道"), "未知辖区“火星街道”"),
        (("a1", "甲", "", "检查员", ""), "检查员须至少负责一个辖区"),
        (("a1", "甲", "1" * 33, "检查员", "XQ"), "电话超过 32 个字符"),
        (("a" * 65, "甲", "", "查看者", ""), "用户名超过 64 个字符"),
        (("a1", "甲" * 101, "", "查看者", ""), "姓名超过 100 个字符"),
        (("张三", "甲", "", "查看者", ""), "用户名只能用字母"),
        (("a1", "", "", "查看者", ""), "缺少姓名"),
        (("", "甲", "", "查看者", ""), "缺少用户名"),
    ],
)
def test_refused_rows_say_why(city, row, reason):
    checked = one(*row)
    assert checked.action == "refused"
    assert any(reason in e for e in checked.errors), checked.errors


def test_an_ambiguous_area_name_is_refused_its_code_accepted(city):
    make_jurisdiction("DQ-03", "新华社区", "community", city.south)  # a second 新华社区
    assert "不明确" in one("a1", "甲", "", "检查员", "新华社区").errors[0]
    assert one("a1", "甲", "", "检查员", "DQ-03").action == "new"
    assert one("a1", "甲", "", "检查员", "东区街道 · 新华社区").action == "new"


def test_a_closed_area_is_refused(city):
    city.south.active = False
    assert "已撤销" in one("a1", "甲", "", "检查员", "DQ").errors[0]


def test_a_username_twice_in_the_file_refuses_both(city):
    rows = check(("dup", "甲", "", "查看者", ""), ("ok", "乙", "", "查看者", ""),
                 ("DUP", "丙", "", "查看者", ""))  # fmt: skip
    assert [r.action for r in rows] == ["refused", "new", "refused"]
    assert "第 2、4 行" in rows[0].errors[0]


def test_title_rows_spaces_control_characters_and_empty_rows(city):
    rows = check(
        ("", "", "", "", ""),
        ("\u3000wang\x0b\u200b ", " 王\u3000五 ", "138", " 检查员 ", "XQ，DQ"),
        header=["用户名\n", "姓　名", "手机号", "角色", "负责辖区"],
        above=[["义马市检查员名单"], []],
    )
    assert len(rows) == 1
    (row,) = rows
    assert row.number == 5 and row.action == "new"
    assert row.values["username"] == "wang" and row.values["display_name"] == "王 五"
    assert summary(rows) == {"new": 1, "update": 0, "same": 0, "refused": 0}


def test_a_file_without_the_columns_is_refused_whole(city):
    with pytest.raises(TableError, match="用户名"):
        read_users("x.csv", as_csv([["名称", "地址"], ["x", "y"]]))
    with pytest.raises(TableError, match="角色"):
        read_users("x.csv", as_csv([["用户名", "姓名"], ["x", "y"]]))


def test_cli_imports_and_prints_the_passwords_once(runner, city, tmp_path):
    path = tmp_path / "people.csv"
    text = "用户名,姓名,角色,辖区\nzhou,周检查,检查员,XQ\nbad,坏,科长,\n"
    path.write_bytes(text.encode("gbk"))
    result = runner.invoke(args=["users", "import", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "row 3: bad REFUSED" in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("zhou /"))
    password = line.split(" / ")[1]
    assert user("zhou").check_password(password) and user("zhou").must_change_password
    again = runner.invoke(args=["users", "import", str(path), "--yes"])
    assert "row 2: zhou unchanged" in again.output and "Nothing to import" in again.output


def test_cli_asks_before_writing(runner, city, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("用户名,姓名,角色\nwu,吴,查看者\n", encoding="utf-8-sig")
    result = runner.invoke(args=["users", "import", str(path)], input="n\n")
    assert "Nothing imported" in result.output and user("wu") is None
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    assert runner.invoke(args=["users", "import", str(bad)]).exit_code == 1
