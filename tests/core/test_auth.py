"""Signing in and out, the lockout, and safe redirects."""

import pytest

from app import create_app
from app.extensions import db


@pytest.mark.parametrize(
    ("who", "home"),
    [("admin", "/office/"), ("inspector", "/field/"), ("viewer", "/office/")],
)
def test_each_role_lands_on_its_home(client, city, login, who, home):
    response = login(getattr(city, who))
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, city):
    response = client.post("/login", data={"username": "admin", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/office/").status_code == 302  # still signed out


def test_inactive_user_cannot_sign_in(client, city, login):
    city.viewer.active = False
    db.session.commit()
    assert login(city.viewer).status_code == 200


def fail(client, username="admin", times=1):
    for _ in range(times):
        client.post("/login", data={"username": username, "password": "wrong"})


def test_five_failures_lock_the_username(client, city, login):
    fail(client, times=5)
    response = login(city.admin)  # even the right password is refused now
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "暂时锁定" in text
    assert "1 分钟" in text


def test_four_failures_do_not_lock(client, city, login):
    fail(client, times=4)
    assert login(city.admin).status_code == 302


def test_lock_is_per_username(client, city, login):
    fail(client, username="admin", times=5)
    assert login(city.viewer).status_code == 302


def test_success_clears_the_failures(client, city, login):
    fail(client, times=4)
    login(city.admin)
    client.post("/logout")
    fail(client, times=4)
    assert login(city.admin).status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/office/establishments", "/office/establishments"),
        ("https://evil.example/", "/office/"),
        ("//evil.example/", "/office/"),
        ("/\\evil.example", "/office/"),
        ("javascript:alert(1)", "/office/"),
    ],
)
def test_next_redirects_stay_on_site(client, city, target, expected):
    response = client.post(
        "/login", data={"username": "admin", "password": "correct-horse", "next": target}
    )
    assert response.headers["Location"] == expected


def test_protected_page_sends_to_login_with_next(client, city):
    response = client.get("/office/establishments")
    assert response.status_code == 302
    assert "/login?next=%2Foffice%2Festablishments" in response.headers["Location"]


def test_logout_needs_post_and_signs_out(client, city, login):
    login(city.admin)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/office/").status_code == 302


def test_csrf_is_enforced_on_forms(app, city, tmp_path):
    strict = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "s",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    client = strict.test_client()
    response = client.post("/login", data={"username": "admin", "password": "correct-horse"})
    with strict.app_context():
        db.engine.dispose()  # its own engine: left to the garbage collector, it warns on PostgreSQL
    assert response.status_code == 400
    assert "安全校验失败" in response.get_data(as_text=True)


def test_language_switch(client, city, login):
    login(city.admin)
    client.post("/lang/en", data={"next": "/office/"})
    page = client.get("/office/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign out" in page
    client.post("/lang/zh_CN")
    assert "退出" in client.get("/office/").get_data(as_text=True)
    assert client.post("/lang/fr").status_code == 404
