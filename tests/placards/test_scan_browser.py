"""End to end in Chromium: a fake camera films a placard, the inspector's scanner opens it."""

from datetime import UTC, datetime, timedelta

import pytest

from app.checklists import programmes_for_category
from app.extensions import db
from app.models import Inspection
from app.placards.cards import card_for
from app.placards.images import FontNotFoundError, placard_png
from app.placards.qr import public_url, qr_png
from tests.conftest import PHONE, screenshot
from tests.factories import PASSWORD
from tests.placards.video import make_y4m

pytestmark = pytest.mark.browser


def placard_picture(est) -> bytes:
    """The establishment's placard as PNG, or only its QR where no CJK font is installed."""
    try:
        return placard_png(card_for(est), dpi=150)
    except FontNotFoundError:
        return qr_png(public_url("https://fangxin.example", est.qr_token), 8)


def test_scanning_a_placard_lands_on_the_establishment(
    browser_factory, live_server, city, make_establishment, make_inspection, tmp_path
):
    est = make_establishment(name="扫码测试便民店")
    make_inspection(est, outcome="basic", five_goods_met=True, published=True)
    video = make_y4m(tmp_path / "placard.y4m", placard_picture(est), frames=20, size=(640, 480))
    browser = browser_factory(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
    )
    context = browser.new_context(
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        locale="zh-CN",
        base_url=live_server.url,
        permissions=["geolocation"],
        geolocation={"latitude": 36.05, "longitude": 103.83, "accuracy": 20},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#username", city.inspector.username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto("/field/scan")
    page.wait_for_url(f"{live_server.url}/q/{est.qr_token}", timeout=20_000)
    assert page.locator("h1").inner_text() == "扫码测试便民店"
    assert "基本符合" in page.content()
    # One start button per checklist that applies, each posting straight to that checklist.
    programmes = programmes_for_category(est.category)
    assert programmes
    forms = page.locator(".inspector-box form.start-row")
    assert forms.count() == len(programmes)
    for form, p in zip(forms.all(), programmes, strict=True):
        assert form.get_attribute("action") == f"/field/establishments/{est.id}/inspect/{p.code}"
        assert form.locator("button[type=submit]").inner_text() == f"开始检查：{p.title}"
    details = page.locator(".inspector-box a", has_text="单位详情与检查记录")
    assert details.get_attribute("href") == f"/field/establishments/{est.id}"
    screenshot(page, "public-status-inspector")

    # One tap from the placard runs the checklist: no second 开始检查 on another page.
    page.locator(".inspector-box form.start-row button").first.tap()
    page.wait_for_selector("#checklist")
    assert page.locator("h1").inner_text() == "扫码测试便民店"
    drafts = db.session.scalars(
        db.select(Inspection).where(
            Inspection.establishment_id == est.id, Inspection.status == "draft"
        )
    ).all()
    assert [(d.programme, d.inspector_id) for d in drafts] == [
        (programmes[0].code, city.inspector.id)
    ]
    assert page.url == f"{live_server.url}/field/inspections/{drafts[0].id}"
    screenshot(page, "public-status-inspector-started")
    context.close()


def test_public_page_and_complaint_form_on_a_phone(
    phone, live_server, make_establishment, make_inspection
):
    est = make_establishment(name="手机查看的大酒店", category="restaurant_large")
    for days, grade in ((40, "good"), (3, "excellent")):
        when = datetime.now(UTC) - timedelta(days=days)
        make_inspection(
            est, "catering", when=when, grade=grade, bright_kitchen_live=True, published=True
        )
    phone.goto(f"/q/{est.qr_token}")
    assert phone.locator(".smiley-excellent svg").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "public-status-anonymous")
    phone.click("text=我要举报")
    phone.fill("#text", "后厨地面有积水")
    phone.fill("#phone", "138-0398-1234")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**/q/{est.qr_token}/complaint/sent")
    assert "举报已提交" in phone.content()
    screenshot(phone, "public-complaint-sent")
