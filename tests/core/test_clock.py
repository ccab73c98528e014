"""The local clock: Asia/Shanghai dates and month arithmetic."""

from datetime import date

from app.core.clock import add_months


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 15), 3) == date(2024, 4, 15)
