"""The phone entry on a phone: rows added with their own UUIDs, a failing row, the placard."""

from app.extensions import db
from app.models import LedgerEntry, Sample
from tests.conftest import no_sideways_scroll

SHOTS = "/tmp/sampling"


def test_a_market_enters_its_tests_on_a_phone(browser_login, make_establishment, city):
    market = make_establishment(name="城东农贸市场", category="farm_market")
    page = browser_login(city.inspector)
    page.goto(f"/field/establishments/{market.id}/samples")
    no_sideways_scroll(page)
    page.fill("#r0-product", "韭菜")
    page.select_option("#r0-item", "pesticide")
    page.check("input[name=rows-0-result][value=pass]")
    page.fill("#r1-product", "猪肉")
    page.select_option("#r1-item", "clenbuterol")
    page.check("input[name=rows-1-result][value=fail]")
    page.check("input[name=rows-1-batch_actions][value=off_sale]")
    for _ in range(3):
        page.click("[data-add-row]")
    assert page.input_value("[data-row-count]") == "13"
    uuids = page.eval_on_selector_all("input[name$=-client_uuid]", "els => els.map(e => e.value)")
    assert len(set(uuids)) == 13
    page.fill("#r12-product", "草鱼")
    page.select_option("#r12-item", "malachite_green")
    page.check("input[name=rows-12-result][value=pass]")
    page.screenshot(path=f"{SHOTS}/samples-entry.png", full_page=False)
    page.click("form.samples-form button[type=submit]")
    page.wait_for_load_state()
    assert "已保存 3 条检测记录" in page.content()
    assert db.session.scalar(db.select(db.func.count()).select_from(Sample)) == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(LedgerEntry)) == 1
    page.goto(f"/q/{market.qr_token}")
    no_sideways_scroll(page)
    page.locator(".rapid-tests").screenshot(path=f"{SHOTS}/placard-rapid.png")
    assert "草鱼" in page.locator(".rapid-tests").inner_text()
