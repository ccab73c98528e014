"""The login page on a phone, in a real browser."""

import pytest

from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def test_inspector_signs_in_on_a_phone(city, browser_login, phone):
    browser_login(city.inspector)
    assert phone.url.endswith("/field/")
    assert phone.locator("h1").inner_text() == "我的单位"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling at phone width"
    screenshot(phone, "field-home")
