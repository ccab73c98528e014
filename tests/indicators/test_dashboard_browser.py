"""The dashboard on a phone: readable, no horizontal page scroll, works without JavaScript."""

import pytest

from app.indicators import INDICATORS
from tests.conftest import screenshot
from tests.indicators.test_pages import data  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_dashboard_on_a_phone(phone, browser_login, city, data):  # noqa: F811
    browser_login(city.viewer)
    phone.goto("/office/?period=2024Q3")
    assert phone.locator(".ind-card").count() == len(INDICATORS)  # one card per indicator
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "indicators-dashboard-phone")
    phone.click("text=差距清单 >> nth=1")
    phone.wait_for_load_state()
    assert "五好" in phone.title()
    screenshot(phone, "indicators-drill-phone")
    phone.goto("/office/reports/2024Q3")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "indicators-report-phone")
