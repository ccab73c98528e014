"""On a phone: the due list leads to the establishment, a follow-up verifies its overdue entry."""

from datetime import timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.models import LedgerEntry
from tests.conftest import answer_all, no_sideways_scroll, screenshot

pytestmark = pytest.mark.browser


def test_due_list_to_follow_up_that_verifies_an_overdue_entry(
    city, shop, submitted, browser_login, phone
):
    [entry] = db.session.scalars(db.select(LedgerEntry))
    entry.due_date = local_today() - timedelta(days=3)
    db.session.commit()
    page = browser_login(city.inspector)
    assert page.url.endswith("/field/")
    row = page.locator(".due-list .row", has_text=shop.name)
    assert "挂账逾期" in row.inner_text()
    row.locator("a").first.click()
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    answer_all(page, fail=None)
    page.fill("#second_inspector", "李四")
    page.fill("#operator_rep", "王五")
    page.click("button[value=review]")
    page.wait_for_selector("text=确认提交")
    box = page.locator(f'input[name="verify_action"][value="{entry.id}"]')
    box.check()
    no_sideways_scroll(page)
    screenshot(page, "followup-review")
    page.click("text=确认提交")
    page.wait_for_selector(".sheet")
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == "verified"
    page.goto("/field/")
    assert "挂账逾期" not in page.inner_text("main")
    page.goto("/field/ledger")
    assert entry.item_text not in page.inner_text("main")
