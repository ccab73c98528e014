"""The public status page and its JSON: the facts, the signs, the caching, and no leaks."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Registration
from app.registry.establishments import close_establishment

from .conftest import PRIVATE_DETAILS, SECRET_ITEM, SECRET_NOTE, SECRET_SECOND

PRIVATE = (SECRET_NOTE, SECRET_ITEM, SECRET_SECOND, "店主李四", "inspector 测试", "13803981234")


@pytest.fixture
def shop(make_establishment):
    return make_establishment(
        name="放心便民店", operator="王老板", contact_phone="13803981234", address="新华路1号"
    )


def get_page(client, est):
    response = client.get(f"/q/{est.qr_token}")
    assert response.status_code == 200
    return response, response.get_data(as_text=True)


def test_page_shows_the_public_facts(client, shop, make_inspection):
    make_inspection(
        shop, when=datetime(2024, 3, 1, 2, tzinfo=UTC), outcome="noncompliant", published=True
    )
    make_inspection(
        shop,
        when=datetime(2024, 5, 2, 17, tzinfo=UTC),
        outcome="basic",
        five_goods_met=True,
        published=True,
    )
    _, html = get_page(client, shop)
    assert "放心便民店" in html and "农村食品经营店" in html and "新华路1号" in html
    assert shop.licence_no in html
    assert "基本符合" in html and "2024-05-03" in html  # local date in Asia/Shanghai
    assert "不符合" in html  # the earlier result in the list
    assert "五好达标" in html


def test_page_and_json_leak_nothing_private(client, shop, make_inspection, open_action):
    inspection = make_inspection(shop, **PRIVATE_DETAILS)
    open_action(inspection)
    _, html = get_page(client, shop)
    body = client.get(f"/q/{shop.qr_token}.json").get_data(as_text=True)
    for secret in PRIVATE:
        assert secret not in html, secret
        assert secret not in body, secret
    assert "王老板" not in html and "王老板" not in body
    assert "/photos" not in html and "<img" not in html
    assert "整改中" in html
    data = json.loads(body)
    assert data["corrections_under_way"] is True and data["open_corrections"] == 1
    assert '"id"' not in body and "establishment_id" not in body and "inspector" not in body


@pytest.mark.parametrize(
    ("state", "under_way"),
    [("open", True), ("rectified", True), ("escalated", True), ("verified", False)],
)
def test_corrections_are_under_way_until_verified(
    client, shop, make_inspection, open_action, state, under_way
):
    """Reported fixed or escalated is still under way; only an inspector's check ends it."""
    action = open_action(make_inspection(shop))
    action.state = state
    db.session.commit()
    data = client.get(f"/q/{shop.qr_token}.json").get_json()
    assert (data["corrections_under_way"], data["open_corrections"]) == (under_way, int(under_way))
    assert ("整改中" in get_page(client, shop)[1]) is under_way


def test_json_has_the_same_facts(client, shop, make_inspection):
    make_inspection(shop, outcome="basic", five_goods_met=False, published=True)
    data = client.get(f"/q/{shop.qr_token}.json").get_json()
    assert data["name"] == "放心便民店"
    assert data["latest"]["outcome"] == "basic"
    assert data["signs"] == {"five_goods": False}
    assert data["registration"] == {
        "kind": "licence",
        "number": shop.licence_no,
        "issued_on": None,
        "valid_until": None,
        "expired": False,
    }
    assert data["url"] == f"https://fangxin.example/q/{shop.qr_token}"


def test_drafts_and_superseded_inspections_are_not_shown(client, shop, make_inspection):
    make_inspection(shop, outcome="noncompliant", status="draft")
    make_inspection(shop, outcome="noncompliant", superseded=True)
    data = client.get(f"/q/{shop.qr_token}.json").get_json()
    assert data["latest"] is None and data["recent"] == []


def test_only_reviewed_results_are_public(client, city, shop, make_inspection):
    """A result awaiting review (or returned) is not posted; its approval posts it at once."""
    from app.publication.review import approve, return_result

    returned = make_inspection(shop, via="services")
    return_result(city.admin, returned, "请补充照片")
    db.session.commit()
    pending = make_inspection(shop, via="services")
    data = client.get(f"/q/{shop.qr_token}.json").get_json()
    assert data["latest"] is None and data["recent"] == []
    assert data["signs"] == {"five_goods": None}
    approve(city.admin, pending)
    db.session.commit()
    app_cache = client.application.extensions["fangxin_public_cache"]
    app_cache.clear()
    data = client.get(f"/q/{shop.qr_token}.json").get_json()
    assert data["latest"]["outcome"] == "compliant" and len(data["recent"]) == 1


def test_anonymous_page_is_cacheable_and_sets_no_cookie(client, shop):
    response, _ = get_page(client, shop)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    assert client.get(f"/q/{shop.qr_token}.json").headers["Cache-Control"] == "public, max-age=60"


def test_signed_in_inspector_sees_start_buttons_and_no_cache(client, city, login, shop):
    login(city.inspector)
    response, html = get_page(client, shop)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f"/field/establishments/{shop.id}" in html
    assert "农村食品经营店“五好”规范化建设检查" in html


def test_inspector_of_another_area_gets_no_start_button(client, city, login, shop):
    login(city.other_inspector)
    _, html = get_page(client, shop)
    assert "/field/establishments/" not in html


@pytest.mark.parametrize(
    ("grade", "word"), [("excellent", "优秀"), ("good", "良好"), ("fair", "一般")]
)
def test_catering_smiley_and_annual_grade(client, make_establishment, make_inspection, grade, word):
    est = make_establishment(category="restaurant_large")
    recent = datetime.now(UTC) - timedelta(days=3)
    make_inspection(
        est, "catering", when=recent, grade=grade, bright_kitchen_live=True, published=True
    )
    _, html = get_page(client, est)
    assert f"smiley-{grade}" in html and word in html and "<svg" in html
    data = client.get(f"/q/{est.qr_token}.json").get_json()
    expected = {"excellent": "A", "good": "B", "fair": "C"}[grade]
    assert data["signs"] == {"smiley": grade, "annual_grade": expected, "bright_kitchen": True}
    assert "互联网+明厨亮灶" in html and "已上线" in html


def test_market_risk_grade(client, make_establishment):
    est = make_establishment(category="farm_market", risk_grade="C")
    data = client.get(f"/q/{est.qr_token}.json").get_json()
    assert data["signs"] == {"risk_grade": "C"}
    assert "风险等级" in get_page(client, est)[1]


def test_school_canteen_bright_kitchen_off(client, make_establishment, make_inspection):
    est = make_establishment(category="school_canteen", school_type="primary")
    make_inspection(est, "school_canteen", bright_kitchen_live=False, published=True)
    _, html = get_page(client, est)
    assert "互联网+明厨亮灶" in html and "未上线" in html


def test_registration_number_and_validity(client, make_establishment):
    est = make_establishment(category="small_shop", licence_no=None)
    db.session.add_all(
        [
            Registration(establishment_id=est.id, kind="filing", number="BA-OLD", state="issued",
                         applied_on=date(2022, 1, 1), issued_on=date(2022, 1, 5),
                         valid_until=date(2023, 1, 4)),
            Registration(establishment_id=est.id, kind="registration", number="DJ-2024-7",
                         state="issued", applied_on=date(2024, 1, 1), issued_on=date(2024, 1, 5),
                         valid_until=date(2099, 1, 4)),
        ]
    )  # fmt: skip
    db.session.commit()
    _, html = get_page(client, est)
    assert "DJ-2024-7" in html and "2099-01-04" in html and "登记证号" in html
    assert "BA-OLD" not in html


def test_closed_establishment_says_so(client, shop):
    close_establishment(None, shop, "歇业")
    db.session.commit()
    _, html = get_page(client, shop)
    assert "该单位已停业注销" in html
    assert client.get(f"/q/{shop.qr_token}.json").get_json()["active"] is False


def test_unknown_and_malformed_tokens_are_404(client, city):
    assert client.get("/q/" + "A" * 22).status_code == 404
    assert client.get("/q/1").status_code == 404
    assert client.get("/q/1.json").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_anonymous_pages_are_kept_briefly_signed_in_ones_never(
    app, client, city, login, shop, make_inspection
):
    assert "暂无检查结果" in get_page(client, shop)[1]
    make_inspection(shop, outcome="noncompliant", published=True)
    assert "暂无检查结果" in get_page(client, shop)[1]  # served from the page cache
    login(city.inspector)
    assert "不符合" in get_page(client, shop)[1]
    client.post("/logout")
    app.config["FANGXIN_PUBLIC_CACHE_SECONDS"] = 0
    app.extensions["fangxin_public_cache"].clear()
    assert "不符合" in get_page(client, shop)[1]


def test_a_replaced_code_leaves_the_page_cache_at_once(client, city, login, shop):
    old = shop.qr_token
    get_page(client, shop)
    client.get(f"/q/{old}.json")
    login(city.admin)
    client.post(f"/office/establishments/{shop.id}/replace-code")
    client.post("/logout")
    assert client.get(f"/q/{old}").status_code == 410
    assert client.get(f"/q/{old}.json").status_code == 410


@pytest.mark.parametrize(
    ("until", "expired"), [(date(2099, 6, 30), False), (date(2020, 6, 30), True)]
)
def test_licence_validity(client, make_establishment, until, expired):
    est = make_establishment(permit_issued_on=date(2015, 7, 1), licence_valid_until=until)
    _, html = get_page(client, est)
    assert "许可证号" in html and est.licence_no in html
    assert f"有效期至</dt><dd>{until.isoformat()}" in html
    assert ("已过期" in html) is expired
    data = client.get(f"/q/{est.qr_token}.json").get_json()
    assert data["registration"] == {
        "kind": "licence",
        "number": est.licence_no,
        "issued_on": "2015-07-01",
        "valid_until": until.isoformat(),
        "expired": expired,
    }


def test_licence_without_validity_shows_no_dates(client, make_establishment):
    est = make_establishment(permit_issued_on=date(2015, 7, 1))
    _, html = get_page(client, est)
    assert "有效期" not in html and "长期" not in html


def test_registration_expired_is_marked(client, make_establishment):
    est = make_establishment(category="stall", licence_no=None)
    db.session.add(
        Registration(establishment_id=est.id, kind="filing", number="BA-9", state="issued",
                     applied_on=date(2020, 1, 1), issued_on=date(2020, 1, 5),
                     valid_until=date(2021, 1, 4))
    )  # fmt: skip
    db.session.commit()
    _, html = get_page(client, est)
    assert "2020-01-05 — 2021-01-04" in html and "已过期" in html
    assert client.get(f"/q/{est.qr_token}.json").get_json()["registration"]["expired"] is True


def test_english_page_names_the_programmes_in_english(client, city, login, shop, make_inspection):
    march, may = datetime(2024, 3, 1, 2, tzinfo=UTC), datetime(2024, 5, 2, 2, tzinfo=UTC)
    make_inspection(shop, when=march, outcome="noncompliant", published=True)
    make_inspection(shop, when=may, outcome="basic", published=True)
    client.post("/lang/en")
    _, html = get_page(client, shop)
    assert "Rural food shops: the five goods" in html
    assert "农村食品经营店“五好”规范化建设检查" not in html
    login(city.inspector)
    _, signed_in = get_page(client, shop)
    assert "Rural food shops: the five goods" in signed_in  # the checklists the inspector may run
