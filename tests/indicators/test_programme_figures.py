"""The indicators of issue #14 on hand-built data (2024Q3, the period rules of test_figures):
health-food sellers inspected (target 4), online caterers whose online shop matches the
premises (target 9), import-food sellers with complete incoming-goods records (target 12)."""

import pytest

from app.checklists import get_programme
from app.extensions import db
from app.indicators import get_indicator
from app.indicators.drill import drill_query
from app.indicators.rollup import Figure, make_scope
from bench.raw_sql import raw_figures
from tests.indicators.conftest import local
from tests.indicators.test_figures import Q3, by_top, figures

GOODS = [i.id for i in get_programme("importer").section("goods").items]


def importer(**results):
    """Every goods item passed, the given ones (by position or item id) as told."""
    answers = {item: {"result": "pass"} for item in GOODS}
    answers |= {item: {"result": result} for item, result in results.items()}
    return answers


# (indicator, category, programme, answers counted, answers not counted)
BY_ANSWER = [
    (
        "online_offline_consistent",
        "online_caterer",
        "online_food",
        {"of.shop.01": {"result": "pass"}, "of.delivery.01": {"result": "fail"}},
        {"of.shop.01": {"result": "fail"}},
    ),
    (
        "import_records_complete",
        "import_food_seller",
        "importer",
        importer(
            **{GOODS[2]: "na", "im.label.01": "fail"}
        ),  # a label failure: records still complete
        importer(**{GOODS[1]: "fail"}),
    ),
]


def gap_ids(code):
    rows = db.session.execute(drill_query(get_indicator(code), make_scope(Q3), "gap")).all()
    return {row.est_id for row in rows}


@pytest.mark.parametrize(("code", "category", "programme", "good", "bad"), BY_ANSWER)
def test_figures_read_the_latest_inspection_answers(
    city, at, make_inspection, code, category, programme, good, bad
):
    def unit(**kw):
        return at(category=category, **kw)

    def check(est, when, answers, **kw):
        return make_inspection(est, programme, when, answers=answers, **kw)

    a = unit()  # good in the quarter: counted
    check(a, local(2024, 8, 1), good)
    b = unit()  # good, then bad: the latest wins
    check(b, local(2024, 1, 10), good)
    check(b, local(2024, 8, 2), bad)
    c = unit()  # bad, then good a minute before the quarter ends: counted
    check(c, local(2024, 1, 10), bad)
    check(c, local(2024, 9, 30, 23, 59), good)
    d = unit()  # good only at 00:00 on 1 October: after the period, gap
    check(d, local(2024, 10, 1, 0, 0), good)
    e = unit()  # good 13 months before the end: outside the window, gap
    check(e, local(2023, 8, 30), good)
    f = unit(closed=local(2024, 8, 15))  # closed in the period: drops out
    check(f, local(2024, 8, 1), good)
    unit(created=local(2024, 10, 5))  # registered after the period: not counted
    g = unit()  # the superseded good revision is ignored, the amendment is bad
    check(g, local(2024, 8, 10), good, superseded=True)
    check(g, local(2024, 8, 10), bad)
    h = unit()  # a draft does not count
    check(h, local(2024, 8, 10), good, status="draft")
    k = unit()  # nothing answered at all (no answer rows): gap
    check(k, local(2024, 8, 10), {})
    other = unit(jurisdiction_id=city.south_c.id)  # another street office
    check(other, local(2024, 7, 1, 0, 0), good)
    # good answers under another programme's name do not count
    make_inspection(b, "catering" if programme == "online_food" else "food_sales",
                    local(2024, 9, 1), answers=good)  # fmt: skip

    got = by_top(city, figures(code))
    assert got["north"] == Figure(2, 8)  # a, c of a b c d e g h k
    assert got["south"] == Figure(1, 1)
    assert got["all"] == Figure(3, 9)
    assert figures(code, "DQ")[None] == Figure(1, 1)
    assert gap_ids(code) == {b.id, d.id, e.id, g.id, h.id, k.id}
    assert_raw_floor_agrees(code)


def assert_raw_floor_agrees(code):
    """bench/raw_sql.py's hand-written statement gives the same figures (issue #15's floor)."""
    scope = make_scope(Q3)
    raw = raw_figures(db.session, Q3, now=scope.now, today=scope.today, codes={code})[code]
    live = {k: (v.num, v.den) for k, v in figures(code).items() if k is not None}
    assert raw == live


def test_online_consistency_not_applicable_is_not_met(city, at, make_inspection):
    est = at(category="online_caterer")
    make_inspection(est, "online_food", local(2024, 8, 1), answers={"of.shop.01": {"result": "na"}})
    assert figures("online_offline_consistent")[None] == Figure(0, 1)


def test_import_records_all_not_applicable_is_not_met(city, at, make_inspection):
    est = at(category="import_food_seller")
    make_inspection(
        est, "importer", local(2024, 8, 1), answers=importer(**dict.fromkeys(GOODS, "na"))
    )
    passing = at(category="import_food_seller")
    make_inspection(passing, "importer", local(2024, 8, 1), answers=importer())
    assert figures("import_records_complete")[None] == Figure(1, 2)


def test_health_food_sellers_inspected(city, at, make_inspection):
    def seller(**kw):
        return at(category="health_food_seller", **kw)

    def check(est, when, **kw):
        return make_inspection(est, "health_food", when, **kw)

    a = seller()  # any outcome counts: inspected in the window
    check(a, local(2024, 8, 1), outcome="noncompliant")
    b = seller()  # first minute of the 12-month window
    check(b, local(2023, 10, 1, 0, 0))
    c = seller()  # 13 months before the end: gap
    check(c, local(2023, 8, 30))
    d = seller()  # after the period: gap
    check(d, local(2024, 10, 1, 0, 0))
    e = seller()  # only a draft and a superseded revision: gap
    check(e, local(2024, 8, 1), status="draft")
    check(e, local(2024, 8, 2), superseded=True)
    f = seller()  # never inspected: gap
    seller(closed=local(2024, 9, 1))  # closed in the period: drops out
    seller(created=local(2024, 10, 1, 0, 0))  # registered after: not counted
    g = seller(jurisdiction_id=city.south_c.id)
    check(g, local(2024, 9, 30, 23, 59))
    h = seller()  # inspected under another programme's code: gap
    make_inspection(h, "food_sales", local(2024, 8, 1))
    at(category="supermarket")  # not a health-food seller
    got = by_top(city, figures("health_food_inspected"))
    assert got["north"] == Figure(2, 7)
    assert got["south"] == Figure(1, 1)
    assert gap_ids("health_food_inspected") == {c.id, d.id, e.id, f.id, h.id}
    assert_raw_floor_agrees("health_food_inspected")


def test_the_new_indicators_sit_at_the_end_with_their_programmes():
    from app.indicators import INDICATORS

    tail = [(i.code, i.clause, i.lead, i.scored_on, i.target) for i in INDICATORS[-3:]]
    assert tail == [
        ("health_food_inspected", "总体目标 4", "市场监管局", "health_food", 1.0),
        ("online_offline_consistent", "总体目标 9", "市场监管局", "online_food", 1.0),
        ("import_records_complete", "总体目标 12", "市场监管局", "importer", 1.0),
    ]
