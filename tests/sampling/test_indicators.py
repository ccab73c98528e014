"""The two sampling indicators on hand-built samples whose numerator and denominator are known."""

from datetime import date, timedelta

import pytest

from app.core import workdays
from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.drill import drill_query
from app.indicators.rollup import Figure, make_scope, rollup
from tests.indicators.conftest import local
from tests.sampling.helpers import rapid_test

Q3 = parse_period("2024Q3")
FIRST, LAST = date(2024, 7, 1), date(2024, 9, 30)


@pytest.fixture
def at(make_establishment):
    """Factory: an establishment on the register since 2023 (in every 2024 period)."""

    def make(**fields):
        est = make_establishment(**fields)
        est.created_at = local(2023, 1, 1)
        db.session.commit()
        return est

    return make


def figures(code):
    return rollup(get_indicator(code), make_scope(Q3))


def by_top(city, result):
    return {
        "north": result.get(city.north.id, Figure()),
        "south": result.get(city.south.id, Figure()),
    }


def sample(city, est, day, item="pesticide", result="pass", method="rapid"):
    db.session.add(rapid_test(est, city.inspector, day, item, result, method))


def days(working: bool) -> list[date]:
    """Q3 2024's working days (or days off), as app.core.workdays counts them."""
    span = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    return [d for d in span if workdays.is_working_day(d) == working]


def test_produce_pass_rate_counts_residue_samples_of_the_period(city, at):
    market = at(category="farm_market")
    shop = at(category="rural_shop", jurisdiction_id=city.south_c.id)
    for _ in range(3):
        sample(city, market, date(2024, 7, 8))
    sample(city, market, date(2024, 9, 30), "clenbuterol", "fail")
    sample(city, market, date(2024, 8, 1), "formaldehyde", "fail")  # not a produce residue test
    sample(city, market, date(2024, 6, 30))  # before the period
    sample(city, market, date(2024, 10, 1), result="fail")  # after it
    sample(city, shop, date(2024, 8, 15), "vet_drug", method="lab")
    db.session.commit()
    got = by_top(city, figures("produce_pass_rate"))
    assert got["north"] == Figure(3, 4)
    assert got["south"] == Figure(1, 1)
    indicator = get_indicator("produce_pass_rate")
    assert indicator.lead == "农业农村局" and indicator.subject == "sample"
    gap = db.session.execute(drill_query(indicator, make_scope(Q3), "gap")).all()
    assert [row.est_id for row in gap] == [market.id]


def test_markets_testing_on_most_working_days(city, at):
    working, off = days(True), days(False)
    assert len(working) == workdays.working_days_between(FIRST - timedelta(days=1), LAST)
    share = get_indicator("market_daily_rapid_tests")
    every, enough, short, lab = (at(category="farm_market") for _ in range(4))
    quiet = at(category="farm_market", jurisdiction_id=city.south_c.id)
    shop = at(category="rural_shop")  # not a market: not in the figure
    need = -(-len(working) * 80 // 100)  # 80% of the working days, rounded up
    for day in working:
        sample(city, every, day)
        sample(city, every, day, "vet_drug")  # two tests a day count as one day
        sample(city, lab, day, method="lab")  # lab tests are not the daily rapid tests
        sample(city, shop, day)
    for day in working[:need]:
        sample(city, enough, day)
    for day in working[: need - 1] + off:  # tests on days off neither count nor are owed
        sample(city, short, day)
    db.session.commit()
    got = by_top(city, figures("market_daily_rapid_tests"))
    assert got["north"] == Figure(2, 4)
    assert got["south"] == Figure(0, 1)
    counted = db.session.execute(drill_query(share, make_scope(Q3), "counted")).all()
    assert {row.est_id for row in counted} == {every.id, enough.id}
    assert quiet.id not in {row.est_id for row in counted}
