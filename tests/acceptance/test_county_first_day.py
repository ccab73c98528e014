"""A county's first day on an empty database, as a new office would do it (issue: a real county
office can start on a fresh server): the first admin from the CLI, then everything in the office
pages — areas, inspectors, and the registers as the clerks keep them — with no demo data."""

import io
import re

from openpyxl import Workbook

from app.extensions import db
from app.models import Establishment, Jurisdiction, User

AREAS = "编码,名称,上级编码,类型\nYM-XQ-XH,新华社区,YM-XQ,社区\nYM-QQL-SH,石河村,YM-QQL,村\n"
PEOPLE = [
    ["用户名", "姓名", "电话", "角色", "辖区"],
    ["zhangwei", "张伟", "13803980001", "检查员", "新区街道"],
    ["lina", "李娜", "13803980002", "检查员", "千秋路街道、石河村"],
    ["office1", "王芳", "13803980003", "查看者", ""],
]


def xlsx(build) -> bytes:
    book = Workbook()
    build(book.active)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def people_sheet(sheet):
    for row in PEOPLE:
        sheet.append(row)


def messy_register(sheet):
    """Title rows, a two-row header with a merged group title, a merged street column, a hidden
    stale phone column, full-width spaces in titles and values, and a totals row."""
    sheet.append(["义马市食品经营单位名录（2024年）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：新区街道食安办", None, None, None, None, None, None])
    sheet.append(["单位信息", None, None, "经营者信息", None, None, None])
    sheet.merge_cells("A3:C3")
    sheet.merge_cells("D3:G3")
    sheet.append(["单位\u3000名称", "类\n别", "所属辖区", "经营者", "电话", "联系电话", "许可证号"])
    sheet.append(
        ["\u3000新华便民超市", "超市", "新区街道", "赵一", "0000", "13803981001", "JY1001"]
    )
    sheet.append(["锦江粮油店", "超市", None, "钱二", "0000", 13803981002, "JY1002"])
    sheet.merge_cells("C5:C6")
    sheet.append(["合计", None, None, None, None, None, "2 家"])
    sheet.column_dimensions["E"].hidden = True


GBK_REGISTER = (
    "名称,类别,辖区,地址,许可证号,联系电话\n"
    "石河村放心店,农村食品经营店,石河村,千秋路街道石河村 3 号,JY2001,13803982001\n"
    "千秋路小吃部,小型餐馆,千秋路街道,千秋路 9 号,JY2002,13803982002\n"
).encode("gbk")


def upload(client, url, name, data):
    """Post a file to an import page and return the preview's HTML."""
    response = client.post(url, data={"file": (io.BytesIO(data), name)})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def confirm_twice(client, url, html, **extra):
    """Confirm the preview twice, as a double click would; both answers are pages, not errors."""
    data = {"token": token_of(html), **extra}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code in (200, 302) and second.status_code in (200, 302)
    return first


def sign_in(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_a_county_starts_on_an_empty_database(app, client, runner):
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Jurisdiction.id))) == 0
    result = runner.invoke(args=["areas", "load-yima"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--username", "chief", "--name", "局长",
              "--password", "first-admin-pass"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    assert sign_in(client, "chief", "first-admin-pass").status_code == 302
    html = upload(client, "/office/jurisdictions/import", "areas.csv", AREAS.encode())
    confirm_twice(client, "/office/jurisdictions/import/confirm", html)

    html = upload(client, "/office/users/import", "people.xlsx", xlsx(people_sheet))
    done = confirm_twice(client, "/office/users/import/confirm", html)
    page = client.get(done.headers["Location"]) if done.status_code == 302 else done
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)))
    passwords = dict(re.findall(r"\b(zhangwei|lina|office1) \S+ ([A-Za-z0-9]{10})\b", text))

    html = upload(client, "/office/establishments/import", "名录.xlsx", xlsx(messy_register))
    assert "合计" in html or "汇总" in html or "跳过" in html
    confirm_twice(client, "/office/establishments/import/confirm", html, mode="all")
    html = upload(client, "/office/establishments/import", "名录.csv", GBK_REGISTER)
    confirm_twice(client, "/office/establishments/import/confirm", html, mode="all")

    with app.app_context():
        rows = db.session.execute(
            db.select(Establishment.name, Establishment.contact_phone, Jurisdiction.name)
            .join(Jurisdiction)
            .order_by(Establishment.licence_no)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("新华便民超市", "13803981001", "新区街道"),
            ("锦江粮油店", "13803981002", "新区街道"),
            ("石河村放心店", "13803982001", "石河村"),
            ("千秋路小吃部", "13803982002", "千秋路街道"),
        ]
        inspectors = db.session.scalars(db.select(User).where(User.role == "inspector")).all()
        assert sorted(u.username for u in inspectors) == ["lina", "zhangwei"]
        assert all(u.must_change_password for u in inspectors)
        demo = db.session.scalar(db.select(db.func.count(User.id)).where(User.username == "admin"))
        assert demo == 0

    client.post("/logout")
    assert set(passwords) >= {"zhangwei", "lina"}
    seen = {}
    for username in ("zhangwei", "lina"):
        sign_in(client, username, passwords[username])
        chosen = {"password": "Field-work-2024", "confirm": "Field-work-2024"}
        assert client.post("/password", data=chosen).status_code == 302
        seen[username] = client.get("/field/establishments").get_data(as_text=True)
        client.post("/logout")
    assert "新华便民超市" in seen["zhangwei"] and "锦江粮油店" in seen["zhangwei"]
    assert "石河村放心店" not in seen["zhangwei"] and "千秋路小吃部" not in seen["zhangwei"]
    assert "石河村放心店" in seen["lina"] and "千秋路小吃部" in seen["lina"]
    assert "新华便民超市" not in seen["lina"]
