"""Revocable sign-ins: copied session and remember cookies stop working when a sign-in ends."""

from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie
from werkzeug.http import parse_date

from app.config import https_settings
from app.core import sessions
from app.extensions import db
from app.models import AuditEvent, UserSession
from app.models.types import utcnow
from tests import factories

REMEMBER = "remember_token"
OFFICE = "/office/"


def remembered_sign_in(client, user, password=factories.PASSWORD):
    """Sign in with 保持登录 ticked; the login response."""
    form = {"username": user.username, "password": password, "remember": "y"}
    response = client.post("/login", data=form)
    assert response.status_code == 302
    return response


def copy_of(app, client, name):
    """Another browser holding only a copy of one of this client's cookies."""
    other = app.test_client()
    other.set_cookie(name, client.get_cookie(name).value)
    return other


def signed_in(browser) -> bool:
    return browser.get(OFFICE).status_code == 200


def logout_everywhere(app, client, city):
    client.post("/logout/everywhere")


def change_password(app, client, city):
    form = {"current": factories.PASSWORD, "password": "a-new-pass-1", "confirm": "a-new-pass-1"}
    assert client.post("/password", data=form).status_code == 302


def admin_reset(app, client, city):
    admin = app.test_client()
    remembered_sign_in(admin, city.admin)
    form = {"password": "one-time-pass"}
    response = admin.post(f"/office/users/{city.viewer.id}/password", data=form)
    assert response.status_code == 302


def deactivate(app, client, city):
    admin = app.test_client()
    remembered_sign_in(admin, city.admin)
    form = {"display_name": "停用者", "phone": "", "role": "viewer"}  # 启用 unticked
    assert admin.post(f"/office/users/{city.viewer.id}", data=form).status_code == 302
    db.session.expire_all()
    assert not city.viewer.active


def plain_logout(app, client, city):
    client.post("/logout")


ENDINGS = {
    "sign out everywhere": logout_everywhere,
    "own password change": change_password,
    "admin password reset": admin_reset,
    "deactivation": deactivate,
    "sign out (this browser)": plain_logout,
}


@pytest.mark.parametrize("ending", ENDINGS, ids=list(ENDINGS))
def test_copied_cookies_stop_working_when_the_sign_in_ends(app, client, city, ending):
    remembered_sign_in(client, city.viewer)
    session_copy = copy_of(app, client, "session")
    remember_copy = copy_of(app, client, REMEMBER)
    assert signed_in(session_copy) and signed_in(remember_copy), "the copies work at first"
    ENDINGS[ending](app, client, city)
    assert not signed_in(session_copy)
    assert not signed_in(remember_copy)
    fresh_remember = app.test_client()
    fresh_remember.set_cookie(REMEMBER, remember_copy.get_cookie(REMEMBER).value)
    assert not signed_in(fresh_remember), "the remember cookie alone no longer signs in"


def test_a_password_change_keeps_this_browser_and_ends_the_others(app, client, city):
    remembered_sign_in(client, city.viewer)
    phone = app.test_client()
    remembered_sign_in(phone, city.viewer)
    change_password(app, client, city)
    assert signed_in(client)
    assert not signed_in(phone)
    remember_only = copy_of(app, client, REMEMBER)
    assert signed_in(remember_only), "its remember cookie was renewed for the new sign-in"


def test_signing_out_here_leaves_the_other_devices_signed_in(app, client, city):
    remembered_sign_in(client, city.viewer)
    phone = app.test_client()
    remembered_sign_in(phone, city.viewer)
    client.post("/logout")
    assert signed_in(phone)


def test_sign_out_everywhere_is_on_the_users_own_page(client, city, login):
    login(city.inspector)
    page = client.get("/password").get_data(as_text=True)
    assert 'action="/logout/everywhere"' in page
    assert "在所有设备上退出" in page
    assert 'href="/password"' in client.get("/field/").get_data(as_text=True)
    response = client.post("/logout/everywhere")
    assert response.headers["Location"] == "/login"
    assert "已在所有设备上退出登录" in client.get("/login").get_data(as_text=True)
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "sign_out_everywhere")
    )
    assert (event.user_id, event.entity_id) == (city.inspector.id, city.inspector.id)
    assert event.summary == "结束用户 inspector 在所有设备上的登录"


def test_the_remember_cookie_is_new_at_each_sign_in_and_lasts_30_days(app, client, city):
    first = remembered_sign_in(client, city.viewer)
    second_browser = app.test_client()
    second = remembered_sign_in(second_browser, city.viewer)
    assert client.get_cookie(REMEMBER).value != second_browser.get_cookie(REMEMBER).value
    for response in (first, second):
        header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER))
        assert "HttpOnly" in header and "SameSite=Lax" in header
        expires = parse_date(header.split("Expires=")[1].split(";")[0])
        assert expires - utcnow() <= timedelta(days=30, minutes=1)
        assert expires - utcnow() >= timedelta(days=29)


def test_an_expired_sign_in_loads_no_one(client, city):
    remembered_sign_in(client, city.viewer)
    for row in db.session.scalars(db.select(UserSession)):
        row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not signed_in(client)


def test_a_new_sign_in_clears_expired_ones(app, client, city):
    remembered_sign_in(client, city.viewer)
    remembered_sign_in(app.test_client(), city.admin)
    db.session.execute(db.update(UserSession).values(expires_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    remembered_sign_in(app.test_client(), city.viewer)
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 1


@pytest.mark.parametrize(
    "user_id",
    ["1", "", ":", "1:", ":nope", "1:nope", "x" * 500, "99999999999999999999999:abc", "2:{token}"],
)
def test_a_session_naming_no_live_sign_in_is_signed_out_not_an_error(client, city, user_id):
    """Sessions from before the upgrade (a bare id), forged or mismatched ids: signed out."""
    remembered_sign_in(client, city.viewer)  # a real token, named with another user's id below
    with client.session_transaction() as session:
        token = session["_user_id"].partition(":")[2]
    other = city.admin.id if city.admin.id != city.viewer.id else city.inspector.id
    fake = client.application.test_client()
    with fake.session_transaction() as session:
        session["_user_id"] = user_id.replace("2:", f"{other}:").format(token=token)
    assert fake.get(OFFICE).status_code == 302


def test_the_table_keeps_only_a_hash_of_the_token(client, city):
    remembered_sign_in(client, city.viewer)
    with client.session_transaction() as session:
        token = session["_user_id"].partition(":")[2]
    row = db.session.scalar(db.select(UserSession))
    assert row.token_hash == sessions.token_hash(token) != token
    dumped = " ".join(str(value) for value in db.session.execute(db.select(UserSession)).one())
    assert token not in dumped


@pytest.mark.parametrize("cookie", ["session", REMEMBER])
def test_a_leaked_user_session_table_signs_no_one_in(app, client, city, cookie):
    """Whatever a copy of user_session holds, made into a session or remember cookie."""
    remembered_sign_in(client, city.admin)
    rows = db.session.execute(db.select(UserSession.user_id, UserSession.token_hash)).all()
    assert rows
    for user_id, stored in rows:
        for forged_id in (f"{user_id}:{stored}", f"{user_id}:{stored[:43]}", stored):
            thief = app.test_client()
            if cookie == "session":
                with thief.session_transaction() as session:
                    session["_user_id"] = forged_id
                    session["_fresh"] = True
            else:
                with app.test_request_context():
                    thief.set_cookie(REMEMBER, encode_cookie(forged_id))
            assert not signed_in(thief), forged_id
    assert signed_in(client)  # the real browser still is


def test_the_loader_reads_a_live_sign_in(app, city):
    session_id = sessions.open_session(city.viewer)
    db.session.commit()
    assert sessions.load(session_id) == city.viewer
    sessions.revoke_all(city.viewer)
    db.session.commit()
    assert sessions.load(session_id) is None


@pytest.mark.parametrize(
    ("value", "secure"),
    [(None, False), (False, False), ("0", False), ("", False), (True, True), ("1", True),
     ("true", True), ("on", True)],
)  # fmt: skip
def test_one_setting_turns_on_secure_cookies(value, secure):
    settings = https_settings({"FANGXIN_HTTPS": value})
    assert settings["FANGXIN_HTTPS"] is secure
    assert settings.get("SESSION_COOKIE_SECURE", False) is secure
    assert settings.get("REMEMBER_COOKIE_SECURE", False) is secure


def test_over_https_both_cookies_go_out_secure(app, city):
    app.config.update(https_settings({"FANGXIN_HTTPS": "1"}))
    browser = app.test_client()
    response = remembered_sign_in(browser, city.viewer)
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    assert all("Secure" in header and "HttpOnly" in header for header in cookies)


def test_the_setting_comes_from_the_environment(app, monkeypatch):
    from app import create_app

    monkeypatch.setenv("FANGXIN_HTTPS", "1")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    served = create_app()
    with served.app_context():
        db.engine.dispose()
    assert served.config["SESSION_COOKIE_SECURE"] and served.config["REMEMBER_COOKIE_SECURE"]
    assert served.config["PREFERRED_URL_SCHEME"] == "https"
