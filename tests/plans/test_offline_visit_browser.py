"""A drawn visit with no signal: on the phone's offline list with its partner, preset in the sheet."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.plans import draws
from tests.conftest import screenshot
from tests.plans.conftest import catering, crew, make_plan  # noqa: F401 (fixtures)
from tests.web.test_offline_browser import gate, go_offline, prepare_offline  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_drawn_visit_offline_names_the_partner_and_the_type(
    city,
    catering,  # noqa: F811
    make_plan,  # noqa: F811
    browser_login,
    phone,
    gate,  # noqa: F811
):
    plan = make_plan(quota_kind="count", quota=1)
    visit = draws.run_draw(plan, city.admin, seed="7" * 32).visits[0]
    db.session.commit()
    lead, partner, unit = visit.lead_inspector, visit.partner, visit.establishment

    page = browser_login(lead)
    prepare_offline(page)
    go_offline(page, gate)
    page.goto("/field/offline#/")
    row = page.locator(f'.due-list a[data-est="{unit.id}"]')
    expect(row).to_contain_text(partner.display_name)
    expect(row).to_contain_text(visit.due_on.isoformat())
    row.click()
    page.click('[data-start="catering"]')
    page.wait_for_selector("#offline-checklist")
    expect(page.locator("#inspection_type")).to_have_value("random")
    expect(page.locator("#second_inspector")).to_have_value(partner.display_name)
    screenshot(page, "offline-drawn-visit")
