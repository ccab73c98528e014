"""On a 390x844 phone: attach a photo on the establishment page and see its thumbnail."""

from __future__ import annotations

import pytest

from tests.conftest import PHONE, screenshot, wait_until
from tests.photos.files import camera_exif, encode, photo_like

pytestmark = pytest.mark.browser

CAMERA = "input.photo-file[capture=environment]"


def jpeg_file(name: str = "门头.jpg") -> dict:
    data = encode(photo_like((2000, 1500)), "JPEG", quality=90, exif=camera_exif(orientation=6))
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def test_photo_is_attached_and_its_thumbnail_shown(city, shop, browser_login, phone):
    browser_login(city.inspector)
    phone.goto(f"/field/establishments/{shop.id}")
    assert phone.locator(CAMERA).get_attribute("accept") == "image/*"
    assert phone.locator("input.photo-file:not([capture])").count() == 1  # the gallery picker
    phone.set_input_files(CAMERA, [jpeg_file()])
    thumb = phone.locator("#est-photos-new .photo-item.is-done a.photo-thumb img")
    thumb.wait_for(timeout=30_000)  # shrink + upload + ingest on shared CPUs
    # really served to this signed-in inspector
    wait_until(phone, "document.querySelector('#est-photos-new img').naturalWidth > 0")
    width, height = thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert (width, height) == (240, 320)  # shrunk and upright
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "media-establishment-photo")
    phone.reload()
    assert phone.locator(".photo-gallery .gallery-item img").count() == 1


def test_a_refused_photo_says_why_and_offers_no_retry(city, shop, browser_login, phone):
    browser_login(city.inspector)
    phone.goto(f"/field/establishments/{shop.id}")
    text = {"name": "不是照片.jpg", "mimeType": "image/jpeg", "buffer": "只是文字".encode() * 50}
    phone.set_input_files(CAMERA, [text])
    failed = phone.locator("#est-photos-new .photo-item.is-failed")
    failed.wait_for(timeout=30_000)
    assert "文件不是图片" in failed.locator(".photo-status").inner_text()
    assert failed.locator("button.photo-retry").count() == 0  # a retry can never help
    assert failed.locator("button.photo-remove").is_visible()
    screenshot(phone, "media-establishment-photo-refused")


def test_without_javascript_the_plain_form_uploads(city, shop, browser_factory, live_server):
    browser = browser_factory()
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", city.inspector.username)
    page.fill("#password", "correct-horse")
    page.click("main button[type=submit]")
    page.goto(f"/field/establishments/{shop.id}")
    page.set_input_files(CAMERA, [jpeg_file()])
    page.click("form.photo-form button[type=submit]")
    page.wait_for_load_state()
    assert "照片已上传" in page.locator(".flash").inner_text()
    assert page.locator(".photo-gallery .gallery-item img").count() == 1
    screenshot(page, "media-establishment-photo-nojs")
    context.close()
