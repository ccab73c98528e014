"""Proof of presence in Chromium at 390x844: the phone's fix at start and submit, or a refusal."""

import pytest

from app.extensions import db
from app.inspections import presence
from app.models import Inspection
from tests.conftest import PHONE, answer_all, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NEAR = {"latitude": 34.7480, "longitude": 111.8620, "accuracy": 15}


def phone_with(browser_factory, live_server, city, **context):
    browser = browser_factory()
    ctx = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN",
        base_url=live_server.url, **context,
    )  # fmt: skip
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#username", city.inspector.username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def run_checklist(page, est):
    page.goto(f"/field/establishments/{est.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    answer_all(page, fail=None)
    page.fill("#second_inspector", "李四")
    page.fill("#operator_rep", "王五")
    page.click("button[value=review]")
    page.click("text=确认提交")
    page.wait_for_selector(".sheet")


def stored(est) -> Inspection:
    db.session.expire_all()
    query = db.select(Inspection).where(Inspection.establishment_id == est.id)
    return db.session.scalars(query).one()


def test_an_allowed_fix_is_recorded_at_start_and_submit(
    city, make_establishment, browser_factory, live_server
):
    est = make_establishment(name="定位便民店", latitude=34.7473, longitude=111.8616)
    page = phone_with(
        browser_factory, live_server, city, geolocation=NEAR, permissions=["geolocation"]
    )
    run_checklist(page, est)
    inspection = stored(est)
    fixes = presence.fixes(inspection)
    assert fixes["start"]["status"] == fixes["submit"]["status"] == "ok"
    assert fixes["submit"]["accuracy"] == 15 and inspection.latitude == NEAR["latitude"]
    checks = presence.checks(inspection)
    assert [c.moment for c in checks] == ["start", "submit"] and not any(c.far for c in checks)
    fix = page.evaluate("window.FangxinPresence.fill({presence: {start: null}}, 'start')")
    assert fix["status"] == "ok" and fix["lat"] == NEAR["latitude"] and fix["at"].endswith("Z")


def test_a_refused_location_is_recorded_and_never_blocks_the_submit(
    city, shop, browser_factory, live_server
):
    page = phone_with(browser_factory, live_server, city, permissions=[])
    run_checklist(page, shop)
    screenshot(page, "presence-denied-sheet")
    fixes = presence.fixes(stored(shop))
    assert fixes["start"]["status"] in ("denied", "unavailable")
    assert fixes["submit"]["status"] in ("denied", "unavailable")
