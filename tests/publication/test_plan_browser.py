"""On a phone: a drawn visit with its partner, both take part, the approved result is public."""

from app.extensions import db
from app.plans import draws
from tests.conftest import PHONE, no_sideways_scroll, screenshot
from tests.factories import PASSWORD
from tests.plans.conftest import catering, crew, make_plan  # noqa: F401 (fixtures)

FIELDS = {"bright_kitchen_live": True, "staff_count": 3, "staff_trained": 3}


def fresh_phone(phone, live_server, user=None):
    """Another phone (its own cookies and service worker), signed in as user if given."""
    context = phone.context.browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    if user is not None:
        page.goto("/login")
        page.fill("#username", user.username)
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    return page


def test_drawn_visit_to_public_plan_page(
    city,
    catering,  # noqa: F811
    make_plan,  # noqa: F811
    make_inspection,
    phone,
    browser_login,
    live_server,
):
    plan = make_plan(quota_kind="count", quota=1)
    visit = draws.run_draw(plan, city.admin, seed="7" * 32).visits[0]
    db.session.commit()
    lead, partner, unit = visit.lead_inspector, visit.partner, visit.establishment

    browser_login(lead)
    home = phone.inner_text("main")
    assert unit.name in home and partner.display_name in home
    phone.goto(f"/field/establishments/{unit.id}")
    assert phone.locator("#type-catering").input_value() == "random"  # 双随机 preselected
    # The lead submits the checklist started as the page offers it.
    make_inspection(unit, via="services", inspector=lead, fields=FIELDS, inspection_type="random")

    second = fresh_phone(phone, live_server, partner)
    second.click("#to-confirm button[type=submit]")
    second.wait_for_load_state()
    db.session.refresh(visit)
    assert visit.partner_confirmed_at is not None

    office = fresh_phone(phone, live_server, city.admin)
    office.goto("/office/publication")
    office.locator(f"#review-{visit.inspection_id} button[value=approve]").click()
    office.wait_for_load_state()
    assert "已审核通过并公示" in office.inner_text("main")

    citizen = fresh_phone(phone, live_server)
    citizen.goto(f"/plans/{plan.id}")
    text = citizen.inner_text("main")
    assert unit.name in text and "符合" in text and "双随机检查" in text  # the type label
    assert lead.display_name not in text and partner.display_name not in text
    no_sideways_scroll(citizen)
    screenshot(citizen, "public-plan-results")
