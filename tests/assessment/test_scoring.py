"""Scores worked out by hand: the rule on figures, then two street offices from the database."""

from datetime import UTC, date, datetime

import pytest

from app.assessment.scoring import assess, attainment, score_unit
from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.rollup import Figure
from app.models import Registration

Q3 = parse_period("2024Q3")
BEFORE = datetime(2023, 1, 1, tzinfo=UTC)


def test_attainment_caps_at_the_target(app):
    five_goods = get_indicator("five_goods")  # target ＞80%
    assert attainment(five_goods, Figure(6, 10)) == pytest.approx(0.75)
    assert attainment(five_goods, Figure(9, 10)) == 1.0
    assert attainment(five_goods, Figure(0, 0)) is None


def test_the_rule_on_figures(city):
    figures = {
        "five_goods": {city.north.id: Figure(6, 10)},  # 0.6 / 0.8 = 0.75
        "ledger_on_time": {city.north.id: Figure(1, 4)},  # 0.25
        "complaints_15_days": {},  # nothing to count: weights renormalised
    }
    weights = {"five_goods": 2, "ledger_on_time": 2, "complaints_15_days": 6}
    got = score_unit(city.north, figures, weights)
    assert got.score == pytest.approx(50.0)  # (2×0.75 + 2×0.25) / 4 × 100
    points = {p.indicator.code: p.points for p in got.parts}
    assert points["five_goods"] == pytest.approx(37.5)
    assert points["ledger_on_time"] == pytest.approx(12.5)
    assert points["complaints_15_days"] is None and points["surveillance_sites"] is None


def unit(make_establishment, street, category, **fields):
    est = make_establishment(jurisdiction_id=street.id, category=category, **fields)
    est.created_at = BEFORE
    db.session.commit()
    return est


def registered(est):
    db.session.add(
        Registration(
            establishment_id=est.id,
            kind="registration",
            state="issued",
            applied_on=date(2023, 1, 1),
            issued_on=date(2023, 1, 10),
            valid_until=date(2026, 1, 1),
        )
    )
    db.session.commit()


def test_two_street_offices_ranked_from_the_rollup(city, make_establishment):
    north, south = city.north_c, city.south_c
    unit(make_establishment, north, "health_centre", surveillance_site=True)
    unit(make_establishment, north, "health_centre", surveillance_site=False)
    unit(make_establishment, south, "health_centre", surveillance_site=True)
    registered(unit(make_establishment, north, "small_shop"))
    unit(make_establishment, north, "stall")  # no registration
    weights = {"surveillance_sites": 1, "three_small_registered": 3, "village_coordinators": 0}
    scores = assess(Q3, weights)
    by_name = {s.unit.name: s for s in scores}
    # 新区: sites 1/2, three small 1/2 → (1×0.5 + 3×0.5) / 4 × 100 = 50
    assert by_name["新区街道"].score == pytest.approx(50.0)
    # 东区: sites 1/1; no "three small" units, so only the sites count → 100
    assert by_name["东区街道"].score == pytest.approx(100.0)
    assert [(s.unit.name, s.rank) for s in scores] == [("东区街道", 1), ("新区街道", 2)]
    parts = {p.indicator.code: p.points for p in by_name["新区街道"].parts}
    assert parts["surveillance_sites"] == pytest.approx(12.5)
    assert parts["three_small_registered"] == pytest.approx(37.5)
    assert parts["village_coordinators"] is None  # weight 0: 未计入考核


def test_an_office_with_nothing_to_count_has_no_score_and_comes_last(city):
    scores = assess(Q3, {"surveillance_sites": 1})
    assert all(s.score is None and s.rank is None for s in scores)
