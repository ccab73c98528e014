"""The dashboard filtered to one lead department on a phone: the select works without JS."""

import pytest

from app.indicators import INDICATORS
from tests.conftest import screenshot
from tests.indicators.test_pages import data  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_choosing_a_department_on_a_phone(phone, browser_login, city, data):  # noqa: F811
    browser_login(city.viewer)
    phone.goto("/office/?period=2024Q3")
    phone.select_option("#f-lead", "ndrc")
    phone.click(".filters-form button[type=submit]")
    phone.wait_for_load_state()
    assert "lead=ndrc" in phone.url
    own = [ind for ind in INDICATORS if ind.lead == "发改委"]
    assert phone.locator(".ind-card").count() == len(own) > 0
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "indicators-dashboard-lead-phone")
    phone.select_option("#f-lead", "eco")
    phone.click(".filters-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator(".ind-card").count() == 0
    assert "本部门的目标不来自检查数据" in phone.locator("#unmeasured-h ~ p").inner_text()
    screenshot(phone, "indicators-dashboard-eco-phone")
