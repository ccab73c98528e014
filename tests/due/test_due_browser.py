"""On a phone: the due list leads to the establishment, its overdue entry is verified and leaves."""

from datetime import timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.inspections import ledger
from app.models.types import utcnow
from tests.conftest import screenshot
from tests.factories import answer

pytestmark = pytest.mark.browser


def test_due_list_to_establishment_to_verified_entry(
    city, make_establishment, make_inspection, browser_login, phone
):
    est = make_establishment(name="石河村便民店", risk_grade="C", jurisdiction_id=city.north_v.id)
    overdue = local_today() - timedelta(days=3)
    recent = utcnow() - timedelta(days=10)
    ledger.open_actions(
        make_inspection(
            est, answers={"hygiene.flies": answer("fail", "deadline", overdue)}, when=recent
        )
    )
    db.session.commit()

    browser_login(city.inspector)
    assert phone.locator("h1").inner_text() == "我的单位"
    row = phone.locator(".due-list .row", has_text="石河村便民店")
    assert "逾期 3 天" in row.inner_text() and "1 项挂账逾期" in row.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "registers-due-list")

    row.locator("a").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text().startswith("石河村便民店")
    screenshot(phone, "registers-establishment")

    phone.locator("#panel-ledger ~ ul a, .rows a", has_text="检查项 hygiene.flies").first.click()
    phone.wait_for_load_state()
    phone.fill("#note-verify", "复查已安装防蝇帘")
    phone.click("text=复查合格，销号")
    phone.wait_for_load_state()
    assert "已复查销号" in phone.locator(".flash").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "registers-entry-verified")

    phone.goto("/field/")
    assert phone.locator(".due-list .row", has_text="项挂账逾期").count() == 0
    phone.goto("/field/ledger")
    assert "石河村便民店" not in phone.locator("main").inner_text()


def test_registration_page_and_card_fit_a_phone(city, make_establishment, browser_login, phone):
    from datetime import date

    from app.registers import registrations

    est = make_establishment(category="small_workshop", name="老王馒头坊")
    details = {
        "operator": "王五",
        "address": "千秋路1号",
        "products": "馒头\n烧饼",
        "safety_pledge": True,
    }
    reg = registrations.apply(None, est, date(2024, 3, 1), details)
    registrations.approve(None, reg, date(2024, 3, 2))
    db.session.commit()
    browser_login(city.admin)
    for path, name in (
        (f"/registers/registrations/{reg.id}", "registers-registration"),
        (f"/registers/registrations/{reg.id}/card", "registers-card"),
    ):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, name)
    assert "豫义食坊登字〔2024〕第0001号" in phone.locator(".reg-card").inner_text()
