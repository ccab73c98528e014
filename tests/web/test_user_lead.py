"""A user account's optional lead department (issue #14): set in the user form, the import
sheet's 牵头单位/部门 column and `flask users create --lead`, audited like the other fields."""

import csv
import io
import re

from app.core.accounts import DEPARTMENTS
from app.core.user_import import apply_rows, read_users
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.models import AuditEvent, User

LEAD = LEADS[1]


def user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def sheet(*rows, header=("用户名", "姓名", "角色", "牵头单位")) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def test_the_departments_are_the_catalogues_leads():
    assert DEPARTMENTS == LEADS


def test_the_user_form_sets_and_clears_the_lead_department(client, login, city):
    login(city.admin)
    page = client.get("/office/users/new").get_data(as_text=True)
    assert "所属牵头单位" in page and f'<option value="{LEAD}">' in page
    assert "查看者账号登记所属牵头单位后" in page, "the rule is on the form"
    data = {"username": "wjw", "display_name": "卫健委联络员", "role": "viewer", "active": "y"}
    created = client.post(
        "/office/users/new", data=data | {"password": "long-enough", "lead": LEAD}
    )
    assert created.status_code == 302
    account = user("wjw")
    assert account.lead == LEAD
    edit = client.get(f"/office/users/{account.id}").get_data(as_text=True)
    assert f'<option selected value="{LEAD}">' in edit
    cleared = client.post(f"/office/users/{account.id}", data=data | {"lead": ""})
    assert cleared.status_code == 302
    db.session.refresh(account)
    assert account.lead is None
    update = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.action == "update")
    ).one()
    assert update.changes["lead"] == [LEAD, None]
    assert client.post("/office/users/new", data=data | {"username": "x2",
        "password": "long-enough", "lead": "不存在的局"}).status_code == 200  # fmt: skip
    assert user("x2") is None, "an unknown department is refused by the form"


def test_a_users_page_without_a_department_still_saves(client, login, city):
    login(city.admin)
    data = {"display_name": "新名", "role": "viewer", "active": "y"}
    response = client.post(f"/office/users/{city.viewer.id}", data=data)
    assert response.status_code == 302, re.findall(
        r"role=\"alert\">([^<]*)", response.get_data(True)
    )
    assert user(city.viewer.username).lead is None


def test_the_import_sheet_sets_updates_keeps_and_refuses_departments(city):
    city.viewer.lead = LEADS[0]
    db.session.commit()
    _sheet, rows = read_users(
        "u.csv",
        sheet(
            ("wjw", "卫健委联络员", "查看者", LEAD),
            (city.viewer.username, city.viewer.display_name, "查看者", ""),
            ("bad", "坏", "查看者", "不存在的局"),
        ),
    )
    assert [r.action for r in rows] == ["new", "update", "refused"]
    assert "未知牵头单位“不存在的局”" in rows[2].errors[0]
    apply_rows(city.admin, rows)
    db.session.commit()
    assert user("wjw").lead == LEAD
    assert user(city.viewer.username).lead is None, "an empty cell clears it"

    city.viewer.lead = LEAD
    db.session.commit()
    header = ("用户名", "姓名", "角色")
    _sheet, rows = read_users(
        "u.csv", sheet((city.viewer.username, city.viewer.display_name, "查看者"), header=header)
    )
    assert rows[0].action == "same", "no column keeps the department"
    _sheet, rows = read_users(
        "u.csv",
        sheet(("wjw", "卫健委联络员", "查看者", LEAD), header=("用户名", "姓名", "角色", "部门")),
    )
    assert rows[0].action == "same", "部门 is the same column"


def test_flask_users_create_takes_a_lead_department(runner, city):
    args = ["users", "create", "--username", "nyj", "--name", "农业局", "--role", "viewer",
            "--password", "long-enough-pw"]  # fmt: skip
    result = runner.invoke(args=[*args, "--lead", LEAD])
    assert result.exit_code == 0, result.output
    assert user("nyj").lead == LEAD
    refused = runner.invoke(args=[*args[:3], "nyj2", *args[4:], "--lead", "不存在的局"])
    assert refused.exit_code != 0 and user("nyj2") is None
