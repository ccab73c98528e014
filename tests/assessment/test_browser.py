"""The assessment page on a phone: the ranking table scrolls inside its box, not the page."""

from tests.conftest import no_sideways_scroll, screenshot


def test_assessment_on_a_phone(city, browser_login):
    page = browser_login(city.viewer)
    page.goto("/office/assessment?period=2024Q3")
    assert "计分规则" in page.inner_text("main")
    no_sideways_scroll(page)
    screenshot(page, "assessment")
