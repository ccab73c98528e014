"""The bulk user import pages: admins only, a preview that writes nothing, one confirm."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from app.core import imports
from app.extensions import db
from app.models import ImportBatch, User

CSV = "用户名,姓名,电话,角色,辖区\nzhao,赵检查,138,检查员,XQ\nbad,坏,,科长,\ninspector,新名,,检查员,DQ\n"


def upload(client, text=CSV, name="people.csv", encoding="utf-8-sig"):
    data = {"file": (io.BytesIO(text.encode(encoding)), name)}
    return client.post("/office/users/import", data=data, content_type="multipart/form-data")


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/office/users/import"),
        ("post", "/office/users/import"),
        ("get", "/office/users/import/template.xlsx"),
        ("post", "/office/users/import/confirm"),
    ],
)
@pytest.mark.parametrize("who,status", [("inspector", 403), ("viewer", 403), (None, 302)])
def test_only_admins_reach_the_import(client, login, city, method, url, who, status):
    if who:
        login(getattr(city, who))
    response = getattr(client, method)(url, data={"token": "x"} if method == "post" else None)
    assert response.status_code == status
    if who is None:
        assert "/login" in response.headers["Location"]


def test_the_users_page_links_the_import(client, login, city):
    login(city.admin)
    assert "/office/users/import" in client.get("/office/users").get_data(as_text=True)
    assert client.get("/office/users/import").status_code == 200


def test_preview_writes_nothing_and_says_per_row(client, login, city):
    login(city.admin)
    response = upload(client, encoding="gbk")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "新建 1 个用户，更新 1 个，无变化 0 个，拒绝 1 行" in body
    assert "未知角色“科长”" in body and "已有用户：更新姓名、电话和辖区" in body
    assert user("zhao") is None
    assert db.session.scalar(db.select(ImportBatch)).confirmed_at is None


def test_confirm_imports_once_and_shows_the_passwords_once(client, login, city, app):
    login(city.admin)
    token = token_of(upload(client))
    first = client.post("/office/users/import/confirm", data={"token": token})
    body = first.get_data(as_text=True)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    password = re.search(r"<td><code>([a-z0-9]{10})</code></td>", body).group(1)
    zhao = user("zhao")
    assert zhao.check_password(password) and zhao.must_change_password
    assert "data:text/csv" in body and "one-time-passwords.csv" in body
    assert user("inspector").display_name == "新名"
    batch = imports.find("users", token)
    assert batch.result["new"] == 1
    assert imports.staged_bytes(app.instance_path, batch) is None  # the file is gone
    again = client.post("/office/users/import/confirm", data={"token": token})
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "已经确认导入过" in text and password not in text
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.username == "zhao")) == 1


def test_the_new_account_must_choose_its_password(client, login, city):
    login(city.admin)
    token = token_of(upload(client))
    body = client.post("/office/users/import/confirm", data={"token": token}).get_data(True)
    password = re.search(r"<td><code>([a-z0-9]{10})</code></td>", body).group(1)
    client.post("/logout")
    client.post("/login", data={"username": "zhao", "password": password})
    assert client.get("/field/").headers["Location"].startswith("/password")


@pytest.mark.parametrize("token", ["", "nope.csv", "x" * 200])
def test_an_unknown_or_expired_token_goes_back_to_upload(client, login, city, token):
    login(city.admin)
    response = client.post("/office/users/import/confirm", data={"token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/office/users/import")


def test_a_purged_upload_is_expired(client, login, city, app):
    login(city.admin)
    token = token_of(upload(client))
    batch = imports.find("users", token)
    (imports.folder(app.instance_path) / batch.token).unlink()
    response = client.post(
        "/office/users/import/confirm", data={"token": token}, follow_redirects=True
    )
    assert "预览已过期" in response.get_data(as_text=True)
    assert imports.find("users", token).confirmed_at is None


@pytest.mark.parametrize(
    "text,name,message",
    [
        ("名称,地址\nx,y\n", "x.csv", "找不到“用户名”列"),
        ("anything", "x.txt", "只支持 .csv 和 .xlsx 文件"),
        ("not a zip", "x.xlsx", "无法读取该 Excel 文件"),
    ],
)
def test_unreadable_files_say_why(client, login, city, text, name, message):
    login(city.admin)
    response = upload(client, text, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_an_xlsx_with_a_title_row_and_the_template(client, login, city):
    login(city.admin)
    template = client.get("/office/users/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.data)).active
    assert [c.value for c in sheet[1]] == ["用户名", "姓名", "电话", "角色", "辖区"]
    book = Workbook()
    rows = [
        ["义马市人员名单"],
        ["用户名", "姓名", "电话", "角色", "辖区"],
        ["qian", "钱", 13800000000, "查看者", None],
    ]
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    data = {"file": (io.BytesIO(out.getvalue()), "people.xlsx")}
    response = client.post("/office/users/import", data=data, content_type="multipart/form-data")
    assert "新建 1 个用户" in response.get_data(as_text=True)
    client.post("/office/users/import/confirm", data={"token": token_of(response)})
    assert user("qian").phone == "13800000000"


def test_a_hidden_stale_phone_column_loses_to_the_visible_one(client, login, city):
    login(city.admin)
    book = Workbook()
    sheet = book.active
    sheet.append(["义马市检查员名单"])
    sheet.merge_cells("A1:F1")
    sheet.append(["用户名", "姓名", "电话", "手机号", "角色", "辖区"])
    sheet.append(["sun", "孙", "0000", "13912345678", "检查员", "XQ"])
    sheet.append(["合计", "1 人"])
    sheet.column_dimensions["C"].hidden = True
    out = io.BytesIO()
    book.save(out)
    data = {"file": (io.BytesIO(out.getvalue()), "people.xlsx")}
    response = client.post("/office/users/import", data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert "隐藏的列未导入：电话" in body and "上方 1 行（标题）已跳过" in body
    assert "合计行未导入：第 4 行" in body and "新建 1 个用户" in body
    client.post("/office/users/import/confirm", data={"token": token_of(response)})
    assert user("sun").phone == "13912345678"
