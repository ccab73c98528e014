"""Units count only in the periods they existed in: created later or closed earlier, not at all."""

from datetime import date

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.rollup import Figure, make_scope, rollup, top_units
from app.models import Coordinator
from app.registry import jurisdictions as units
from tests.factories import make_jurisdiction
from tests.indicators.conftest import local


def coverage(period: str, code: str | None = None) -> Figure:
    result = rollup(get_indicator("village_coordinators"), make_scope(parse_period(period), code))
    return result.get(None, Figure())


def covered(village) -> None:
    db.session.add(Coordinator(name="协管员", village_id=village.id, start_on=date(2023, 1, 1)))


@pytest.fixture
def dated(city):
    """A covered village that always existed, and one made on 2024-08-01 with no coordinator."""
    covered(city.north_v)
    covered(city.south_v)
    new = make_jurisdiction("XQ-09", "新设村", "village", city.north)
    new.created_at = local(2024, 8, 1)
    db.session.commit()
    return new


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2024Q2", Figure(2, 2)), ("2024Q3", Figure(2, 3)), ("2024Q4", Figure(2, 3))],
)
def test_a_village_created_later_is_not_uncovered_earlier(dated, period, expected):
    assert coverage(period) == expected


def test_a_village_closed_before_the_period_ends_is_not_counted(city, dated):
    dated.active, dated.closed_at = False, local(2024, 11, 5)
    db.session.commit()
    assert coverage("2024Q3") == Figure(2, 3)  # still open at the end of Q3
    assert coverage("2024Q4") == Figure(2, 2)
    assert coverage("2025Q1") == Figure(2, 2)


def test_a_village_with_no_created_at_counts_in_every_period(city):
    assert city.north_v.created_at is None
    assert coverage("2020Q1", "XQ") == Figure(0, 1)


def test_a_village_merged_today_leaves_the_current_figures(city):
    covered(city.south_v)
    db.session.commit()
    units.merge(None, city.north_v, city.south_v)
    db.session.commit()
    today = local_today()
    period = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    assert coverage(period) == Figure(1, 1)


def test_the_street_table_lists_a_closed_street_office_only_in_periods_it_was_open(city):
    old = make_jurisdiction("OLD", "旧街道", "street")
    old.created_at = local(2023, 1, 1)
    units.close(None, old)
    old.closed_at = local(2024, 8, 1)
    db.session.commit()
    assert old not in top_units()
    assert old in top_units(parse_period("2024Q2"))
    assert old not in top_units(parse_period("2024Q3"))
    assert city.north in top_units() and city.north in top_units(parse_period("2024Q3"))
