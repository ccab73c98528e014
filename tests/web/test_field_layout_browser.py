"""The field screens held in one hand: a short checklist, a small header, one tap to start."""

import pytest

from tests.conftest import answer_all, screenshot
from tests.factories import FAIL_ITEM

pytestmark = pytest.mark.browser

BEFORE_CHECKLIST_PX = 8905  # measured at 360 px before: every item showed photo buttons and note
BEFORE_HEADER_PX = 148
# The national record form's two rows (检查类型, 当事人拒绝签字; issue #13) came after that halving.
RECORD_FORM_PX = 90


def item(page, item_id):
    return page.locator(f'[id="item-{item_id}"]')


def test_the_checklist_is_short_and_a_failure_opens_its_photo_and_note(
    city, shop, browser_login, start
):
    page = browser_login(city.inspector)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/field/establishments/{shop.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"checklist height at 360 px: {height} px (before {BEFORE_CHECKLIST_PX})")
    screenshot(page, "layout-checklist-360")
    assert height < BEFORE_CHECKLIST_PX / 2 + RECORD_FORM_PX
    failing = item(page, FAIL_ITEM)
    assert not failing.locator(".photo-pick").first.is_visible()
    assert not page.locator(f'[id="n-{FAIL_ITEM}"]').is_visible()
    answer_all(page)
    assert failing.locator(".photo-pick").first.is_visible()
    assert page.locator(f'[id="n-{FAIL_ITEM}"]').is_visible()
    passed = item(page, "fg.env.01")
    assert not page.locator('[id="n-fg.env.01"]').is_visible()
    passed.locator(".more-label").click()  # a tap shows a passed item's photo and note too
    assert page.locator('[id="n-fg.env.01"]').is_visible()
    assert passed.locator(".photo-pick").first.is_visible()
    assert page.locator(".progress").is_visible() and page.locator(".submit-bar").is_visible()
    screenshot(page, "layout-checklist-360-answered")


def test_without_javascript_the_photo_and_note_are_reachable(
    city, shop, browser_factory, live_server
):
    from tests.factories import PASSWORD

    browser = browser_factory()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="zh-CN",
        base_url=live_server.url,
    )  # fmt: skip
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", city.inspector.username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"/field/establishments/{shop.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    assert not page.locator('[id="n-fg.env.01"]').is_visible()
    page.click('[id="item-fg.env.01"] .more-label')
    assert page.locator('[id="n-fg.env.01"]').is_visible()
    page.click(f'label[for="r-{FAIL_ITEM}-fail"]')
    assert page.locator(f'[id="n-{FAIL_ITEM}"]').is_visible()
    context.close()


def test_the_header_is_one_compact_row(city, shop, browser_login):
    page = browser_login(city.inspector)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/field/")
    header = page.locator("header.top").bounding_box()["height"]
    print(f"header height at 360 px: {header:.0f} px (before {BEFORE_HEADER_PX})")
    screenshot(page, "layout-home-360")
    assert header <= 100
    assert page.locator(".top-tools button:has-text('退出')").is_visible()
    language = page.locator("[data-language-toggle]").bounding_box()
    sign_out = page.locator(".top-tools button:has-text('退出')").bounding_box()
    assert abs(language["y"] - sign_out["y"]) > 100  # far from 退出, not a slip away


def test_the_placard_page_starts_the_checklist_in_one_tap(city, shop, browser_login):
    page = browser_login(city.inspector)
    page.goto(f"/q/{shop.qr_token}")
    page.click("button:has-text('开始检查')")
    page.wait_for_selector("#checklist")
    assert "版本" in page.inner_text(".checklist-head")
    assert len(page.inner_text(".checklist-head [data-version]")) < 20
