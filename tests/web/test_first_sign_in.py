"""A one-time password holds its user to the change-password page until a new one is chosen."""

import re

import pytest

from app.core.accounts import READABLE, one_time_password
from app.extensions import db
from app.models import AuditEvent
from tests.factories import PASSWORD


@pytest.fixture
def one_time(city):
    """The inspector, signed in with a one-time password (PASSWORD)."""
    city.inspector.must_change_password = True
    db.session.commit()
    return city.inspector


def change(client, new="my-own-secret", confirm=None, **extra):
    data = {"password": new, "confirm": confirm or new, **extra}
    return client.post("/password", data=data)


def test_sign_in_leads_to_the_change_page(client, login, one_time):
    response = login(one_time)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/password")
    body = client.get("/password").get_data(as_text=True)
    assert "一次性密码" in body and "当前密码" not in body


@pytest.mark.parametrize(
    "method,url",
    [("get", "/field/"), ("get", "/office/complaints"), ("get", "/"), ("post", "/field/scan")],
)
def test_every_other_page_is_held(client, login, one_time, method, url):
    login(one_time)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/password")


def test_logout_static_and_language_stay_open(client, login, one_time):
    login(one_time)
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    static.close()
    assert client.post("/lang/en", data={"next": "/password"}).headers["Location"] == "/password"
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"


@pytest.mark.parametrize(
    "new,confirm,message",
    [
        ("short", "short", "密码至少 8 位"),
        ("long-enough-1", "long-enough-2", "两次输入的密码不一致"),
        (PASSWORD, PASSWORD, "新密码不能与当前密码相同"),
        ("", "", "请输入新密码"),
    ],
)
def test_bad_new_passwords_are_refused(client, login, one_time, new, confirm, message):
    login(one_time)
    response = client.post("/password", data={"password": new, "confirm": confirm})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(one_time)
    assert one_time.must_change_password


def test_choosing_a_password_clears_the_flag_audited(client, login, one_time):
    login(one_time)
    response = change(client, next="/field/")
    assert response.status_code == 302
    db.session.refresh(one_time)
    assert not one_time.must_change_password
    assert one_time.check_password("my-own-secret")
    assert client.get("/field/").status_code == 200
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "change_password" and event.changes["was_one_time"] is True
    assert "my-own-secret" not in str(event.changes) + str(event.summary)


def test_a_voluntary_change_asks_the_current_password(client, login, city):
    login(city.viewer)
    wrong = change(client, current="not-it")
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    assert change(client, current=PASSWORD).status_code == 302
    db.session.refresh(city.viewer)
    assert city.viewer.check_password("my-own-secret")


def test_admin_reset_and_new_user_are_one_time(client, login, city):
    login(city.admin)
    client.post(f"/office/users/{city.viewer.id}/password", data={"password": "given-by-admin"})
    db.session.refresh(city.viewer)
    assert city.viewer.must_change_password
    client.post(
        "/office/users/new",
        data={"username": "new1", "display_name": "新人", "role": "viewer",
              "password": "given-by-admin", "active": "y"},
    )  # fmt: skip
    client.post("/logout")
    login_new = client.post("/login", data={"username": "new1", "password": "given-by-admin"})
    assert login_new.status_code == 302
    assert client.get("/").headers["Location"].startswith("/password")


def test_one_time_passwords_are_readable_and_random():
    made = {one_time_password() for _ in range(50)}
    assert len(made) == 50
    assert all(len(p) == 10 and set(p) <= set(READABLE) for p in made)
    assert not set("0o1li") & set(READABLE)


def test_admin_generates_a_one_time_password_shown_once(client, login, city):
    login(city.admin)
    response = client.post(f"/office/users/{city.viewer.id}/one-time-password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r"<code>([a-z0-9]{10})</code>", response.get_data(as_text=True)).group(1)
    db.session.refresh(city.viewer)
    assert city.viewer.check_password(password) and city.viewer.must_change_password
    assert password not in client.get(f"/office/users/{city.viewer.id}").get_data(as_text=True)
    assert "待设置新密码" in client.get("/office/users").get_data(as_text=True)


@pytest.mark.parametrize("who,status", [("inspector", 403), ("viewer", 403), (None, 302)])
def test_only_admins_generate_one_time_passwords(client, login, city, who, status):
    if who:
        login(getattr(city, who))
    response = client.post(f"/office/users/{city.admin.id}/one-time-password")
    assert response.status_code == status
    db.session.refresh(city.admin)
    assert city.admin.check_password(PASSWORD)
