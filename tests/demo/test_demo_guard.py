"""A production instance never gets demo users, and demo data always shows a banner."""

import pytest

from app.demo import guard
from app.demo.city import DEMO_USERS
from app.extensions import db
from app.models import Establishment, Jurisdiction, User
from app.registry.establishments import create_establishment
from tests.factories import make_jurisdiction, make_user

BANNER = "演示数据：本系统载有演示单位和演示账号（密码公开），不得用于正式工作。"
SMALL = ["seed", "demo", "--scale", "0.1"]


def user_count() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_seed_loads_on_a_fresh_instance_and_again_on_demo_data(runner):
    first = runner.invoke(args=SMALL)
    assert first.exit_code == 0, first.output
    assert guard.real_data() == {}
    again = runner.invoke(args=SMALL)
    assert again.exit_code == 0, again.output
    assert "0 establishments" in again.output
    assert user_count() == len(DEMO_USERS)


def test_if_empty_still_works_for_make_run(runner):
    first = runner.invoke(args=[*SMALL, "--if-empty"])
    assert first.exit_code == 0 and "Demo logins" in first.output
    again = runner.invoke(args=[*SMALL, "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output


def real_user():
    make_user("clerk", "admin")


def real_area():
    make_jurisdiction("411281999", "某真实街道")


def real_shop():
    street = db.session.scalar(db.select(Jurisdiction).limit(1))
    create_establishment(None, name="真实商店", category="stall", jurisdiction_id=street.id)


@pytest.mark.parametrize(
    "make,kind",
    [(real_user, "users"), (real_area, "jurisdictions"), (real_shop, "establishments")],
)
def test_seed_refuses_an_instance_with_real_data(runner, app, make, kind):
    assert runner.invoke(args=SMALL).exit_code == 0
    make()
    db.session.commit()
    assert guard.real_data() == {kind: 1}
    before = user_count()
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 1
    assert f"real data (1 {kind}" in result.output and "--allow-real-data" in result.output
    assert user_count() == before


def test_seed_refuses_beside_a_real_jurisdiction_even_with_if_empty(runner, app):
    make_jurisdiction("411281999", "某真实街道")
    db.session.commit()
    result = runner.invoke(args=[*SMALL, "--if-empty"])
    assert result.exit_code == 0
    assert "real data" in result.output
    assert user_count() == 0


def test_allow_real_data_loads_beside_it(runner, city):
    result = runner.invoke(args=[*SMALL, "--allow-real-data"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Establishment.id))) > 0
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    assert admin.display_name == "admin 测试"  # a real account is never taken over


def test_a_real_user_named_admin_is_real_data(app):
    make_user("admin", "admin")  # display name "admin 测试", not the demo's 演示管理员
    db.session.commit()
    assert guard.real_data() == {"users": 1}
    assert not guard.demo_present_now()


def test_a_real_shop_is_real_data(runner, make_establishment):
    runner.invoke(args=[*SMALL, "--allow-real-data"])
    make_establishment(name="真实商店", licence_no=None)
    assert guard.real_data()["establishments"] == 1


def test_no_banner_without_demo_data(client, login, city):
    login(city.admin)
    assert BANNER not in client.get("/office/users").get_data(as_text=True)
    assert BANNER not in client.get("/login").get_data(as_text=True)


def test_banner_on_staff_and_public_pages_with_demo_data(runner, client):
    runner.invoke(args=SMALL)
    assert BANNER in client.get("/login").get_data(as_text=True)
    shop = db.session.scalar(db.select(Establishment).limit(1))
    public = client.get(f"/q/{shop.qr_token}")
    assert public.status_code == 200
    assert BANNER in public.get_data(as_text=True)
    client.post("/login", data={"username": "viewer", "password": "fangxin-viewer"})
    assert BANNER in client.get("/office/").get_data(as_text=True)


def test_the_check_is_cached_per_process(app, monkeypatch):
    calls = []
    monkeypatch.setattr(guard, "demo_present_now", lambda: calls.append(1) or False)
    assert not guard.demo_present() and not guard.demo_present()
    assert len(calls) == 1
    guard.forget()  # what the seed does
    guard.demo_present()
    assert len(calls) == 2
