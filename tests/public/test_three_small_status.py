"""The public page of a "three small" unit shows its registration or filing and its state."""

from datetime import date, timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.registers.registrations import apply


def page(client, est):
    response = client.get(f"/q/{est.qr_token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def state_of(client, est):
    return client.get(f"/q/{est.qr_token}.json").get_json()["three_small"]


def test_a_unit_that_has_only_applied_says_so(client, make_establishment):
    """Its licence number is shown as before, and the application beside it."""
    est = make_establishment(category="small_workshop", licence_no="JY-OLD-1")
    apply(None, est, date(2026, 11, 20), {"operator": "张三", "products": "馒头"})
    db.session.commit()
    html = page(client, est)
    assert "JY-OLD-1" in html and "登记状态" in html
    assert "已申请" in html and "2026-11-20 提交，正在审批" in html
    assert state_of(client, est) == {
        "kind": "registration",
        "state": "applied",
        "days_left": None,
        "applied_on": "2026-11-20",
    }


@pytest.mark.parametrize(
    ("days", "state", "days_left", "shown"),
    [
        (6, "expiring", 6, "还有 6 天到期"),
        (0, "expiring", 0, "有效期最后一天"),
        (30, "expiring", 30, "还有 30 天到期"),
        (31, "issued", None, "已登记"),
        (None, "issued", None, "已登记"),
        (-1, "expired", None, "已过期"),
    ],
)
def test_the_card_state(client, make_establishment, make_registration, days, state, days_left,
                        shown):  # fmt: skip
    est = make_establishment(category="small_shop", licence_no=None)
    until = None if days is None else local_today() + timedelta(days=days)
    make_registration(est, issued_on=date(2024, 1, 10), valid_until=until)
    db.session.commit()
    found = state_of(client, est)
    assert (found["state"], found["days_left"]) == (state, days_left)
    html = page(client, est)
    assert shown in html
    assert ("即将到期" in html) is (state == "expiring")


def test_a_card_expiring_in_six_days_warns_in_english(client, make_establishment,
                                                      make_registration):  # fmt: skip
    est = make_establishment(category="small_shop", licence_no=None)
    make_registration(est, valid_until=local_today() + timedelta(days=6))
    db.session.commit()
    client.post("/lang/en")
    html = page(client, est)
    assert "Expires soon" in html and "Days left: 6" in html and "即将到期" not in html


def test_a_stall_is_filed(client, make_establishment, make_registration):
    est = make_establishment(category="stall", licence_no=None)
    make_registration(est, valid_until=local_today() + timedelta(days=100))
    db.session.commit()
    html = page(client, est)
    assert "备案状态" in html and "已备案" in html and "登记状态" not in html
    assert state_of(client, est)["kind"] == "filing"


def test_an_unregistered_unit_and_other_categories(client, make_establishment):
    bare = make_establishment(category="small_workshop", licence_no=None)
    assert state_of(client, bare)["state"] == "none" and "未登记" in page(client, bare)
    restaurant = make_establishment(category="restaurant_small")
    assert state_of(client, restaurant) is None and "登记状态" not in page(client, restaurant)
