"""On a 390x844 phone: fail a "photo on failure" item, photograph it on the checklist,
see the thumbnail before submitting, then on the result sheet (screen and print)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Inspection, Photo
from tests.conftest import answer_all, no_sideways_scroll, screenshot, wait_until
from tests.factories import PHOTO_ITEM, due_in

from .test_uploads_browser import jpeg_file

pytestmark = pytest.mark.browser

LIST = "#photos-fg-env-01"


def test_failed_item_photographed_on_the_checklist(city, shop, browser_login, phone):
    page = browser_login(city.inspector)
    page.goto(f"/field/establishments/{shop.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    answer_all(page, fail=PHOTO_ITEM)
    item = page.locator(f'[id="item-{PHOTO_ITEM}"]')
    expect(item.locator(".photo-warning")).to_be_visible()
    page.select_option(f'[id="h-{PHOTO_ITEM}"]', "deadline")
    page.fill(f'[id="d-{PHOTO_ITEM}"]', due_in())
    page.fill("#second_inspector", "李四")
    page.fill("#operator_rep", "王五")

    camera = item.locator("input.photo-file[capture=environment]")
    assert camera.get_attribute("accept") == "image/*"
    camera.set_input_files([jpeg_file("地面积水.jpg")])
    thumb = page.locator(f"{LIST} .photo-item.is-done a.photo-thumb img")
    thumb.wait_for(timeout=30_000)  # shrink + upload + ingest on shared CPUs
    wait_until(page, f"document.querySelector('{LIST} img').naturalWidth > 0")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    item.scroll_into_view_if_needed()
    no_sideways_scroll(page)
    shot = screenshot(page, "checklist-photo-attached")
    item.screenshot(path=str(shot.with_name("checklist-photo-attached-item.png")))
    db.session.expire_all()
    draft = db.session.scalar(db.select(Inspection))
    assert [p.item_id for p in db.session.scalars(db.select(Photo))] == [PHOTO_ITEM]

    page.click("button[value=review]")
    page.wait_for_load_state("load")
    screenshot(page, "checklist-photo-review")
    page.wait_for_selector("text=确认提交")
    assert page.locator(".failures .photo-thumb img").count() == 1
    screenshot(page, "checklist-photo-review")
    page.click("text=确认提交")
    page.wait_for_selector(".sheet")
    page.wait_for_load_state("load")
    sheet_thumb = page.locator(".sheet .failures .photo-thumb img")
    assert sheet_thumb.count() == 1
    assert sheet_thumb.evaluate("img => img.naturalWidth") > 0
    href = page.locator(".sheet .failures a.photo-thumb").get_attribute("href")
    assert href.endswith(".jpg") and ".thumb" not in href  # a tap opens the full photo
    no_sideways_scroll(page)
    screenshot(page, "checklist-photo-sheet")
    page.emulate_media(media="print")
    expect(sheet_thumb).to_be_visible()
    screenshot(page, "checklist-photo-sheet-print")
    db.session.expire_all()
    assert db.session.get(Inspection, draft.id).status == "submitted"
