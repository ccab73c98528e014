"""The scoring rules, at every boundary the plan and the regulations draw."""

from datetime import date

import pytest

from app.inspections.scoring import (
    catering_annual_grade,
    catering_grade,
    catering_score,
    five_goods_met,
    general_outcome,
    in_new_permit_grace,
    market_dynamic_score,
    market_risk_grade,
    market_static_score,
    score_inspection,
)


def all_(programme, result="pass"):
    """Every item of the programme answered the same way."""
    return {item.id: result for item in programme.items}


def failing(programme, *item_ids, rest="pass"):
    """Every item passed (or `rest`) except the given ones, which failed."""
    return {**all_(programme, rest), **dict.fromkeys(item_ids, "fail")}


def general_ids(n):
    return [f"t.g.{i:02d}" for i in range(n)]


# --- general outcome (every programme) ----------------------------------------------------


def test_no_failure_is_compliant(general_programme):
    programme = general_programme()
    assert general_outcome(programme, all_(programme)) == "compliant"


def test_eight_general_failures_are_basic(general_programme):
    programme = general_programme()
    assert general_outcome(programme, failing(programme, *general_ids(8))) == "basic"


def test_nine_general_failures_are_noncompliant(general_programme):
    programme = general_programme()
    assert general_outcome(programme, failing(programme, *general_ids(9))) == "noncompliant"


def test_one_general_failure_is_basic(general_programme):
    programme = general_programme()
    assert general_outcome(programme, failing(programme, "t.g.00")) == "basic"


def test_one_key_failure_is_noncompliant(general_programme):
    programme = general_programme()
    assert general_outcome(programme, failing(programme, "t.k.00")) == "noncompliant"


def test_all_not_applicable_is_compliant(general_programme):
    programme = general_programme()
    assert general_outcome(programme, all_(programme, "na")) == "compliant"


def test_unanswered_items_count_for_nothing(general_programme):
    programme = general_programme()
    assert general_outcome(programme, {"t.g.00": "fail", "t.g.01": None}) == "basic"
    assert general_outcome(programme, {}) == "compliant"


def test_threshold_comes_from_the_file_or_the_argument(general_programme):
    programme = general_programme(extra_scoring="max_general_failures = 2")
    assert general_outcome(programme, failing(programme, *general_ids(3))) == "noncompliant"
    assert general_outcome(programme, failing(programme, *general_ids(3)), 3) == "basic"


# --- five goods ---------------------------------------------------------------------------


def test_five_goods_met_when_every_section_passes(shipped):
    programme = shipped["five_goods"]
    assert five_goods_met(programme, all_(programme)) is True


def test_five_goods_not_met_when_one_section_fails(shipped):
    programme = shipped["five_goods"]
    assert five_goods_met(programme, failing(programme, "fg.sup.04")) is False


def test_five_goods_na_items_do_not_fail_a_section(shipped):
    programme = shipped["five_goods"]
    results = {**all_(programme), "fg.env.05": "na", "fg.doc.03": "na"}
    assert five_goods_met(programme, results) is True


def test_five_goods_all_na_section_is_not_met(shipped):
    programme = shipped["five_goods"]
    section = programme.section("sup")
    results = {**all_(programme), **{i.id: "na" for i in section.items}}
    assert five_goods_met(programme, results) is False
    assert five_goods_met(programme, all_(programme, "na")) is False


def test_five_goods_all_na_section_can_be_configured_to_pass(make_programme, demo_toml):
    text = demo_toml.replace(
        'rule = "general"', 'rule = "five_goods"\nall_na_section_passes = true'
    )
    programme = make_programme(text)
    assert five_goods_met(programme, all_(programme, "na")) is True


# --- market risk grade --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [(0, "A"), (30, "A"), (31, "B"), (45, "B"), (46, "C"), (60, "C"), (61, "D"), (100, "D")],
)
def test_market_band_boundaries(score, grade, shipped):
    assert market_risk_grade(score) == grade
    assert market_risk_grade(score, shipped["market"].param("grade_max")) == grade


def test_market_score_above_every_band_is_the_last_grade():
    assert market_risk_grade(130, {"A": 30, "B": 45, "C": 60}) == "C"


def test_market_static_score_sums_the_chosen_factors(shipped):
    market = shipped["market"]
    fields = {"market_type": "produce", "market_scale": "small", "market_format": "indoor"}
    assert market_static_score(market, fields) == 8 + 5 + 3
    worst = {"market_type": "comprehensive", "market_scale": "large", "market_format": "open_air"}
    assert market_static_score(market, worst) == 40


def test_market_unknown_static_factor_counts_as_worst(shipped):
    market = shipped["market"]
    assert market_static_score(market, {"market_scale": "small", "market_format": "indoor"}) == 23


def test_market_dynamic_score_adds_points_per_failure_capped(shipped):
    market = shipped["market"]
    assert market_dynamic_score(market, all_(market)) == 0
    assert market_dynamic_score(market, failing(market, "mk.entry.01")) == 5
    assert market_dynamic_score(market, failing(market, "mk.entry.02")) == 15
    assert market_dynamic_score(market, all_(market, "fail")) == 60


def test_market_end_to_end(shipped):
    market = shipped["market"]
    fields = {"market_type": "produce", "market_scale": "small", "market_format": "indoor"}
    clean = score_inspection(market, all_(market), fields)
    assert (clean.score, clean.grade, clean.outcome) == (16, "A", "compliant")
    one_key = score_inspection(market, failing(market, "mk.meat.01"), fields)
    assert (one_key.score, one_key.grade, one_key.outcome) == (31, "B", "noncompliant")
    assert one_key.details == {
        "key_failures": 1,
        "general_failures": 0,
        "static": 16,
        "dynamic": 15,
    }
    worst = {"market_type": "comprehensive", "market_scale": "large", "market_format": "open_air"}
    assert score_inspection(market, failing(market, "mk.env.01"), worst).grade == "B"  # 45
    assert score_inspection(market, failing(market, "mk.env.01", "mk.env.02"), worst).grade == "C"


# --- catering quantified grade ------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (75, "good"),
        (74, "fair"),
        (60, "fair"),
        (59, "none"),
        (0, "none"),
    ],
)
def test_catering_band_boundaries(score, grade, shipped):
    assert catering_grade(score, 0) == grade
    assert catering_grade(score, 0, shipped["catering"].param("grade_min")) == grade


def test_catering_two_key_failures_give_no_grade():
    assert catering_grade(95, 1) == "excellent"
    assert catering_grade(95, 2) == "none"
    assert catering_grade(95, 2, key_failure_limit=3) == "excellent"


def test_catering_score_deducts_points(shipped):
    catering = shipped["catering"]
    assert catering_score(catering, all_(catering)) == 100
    assert catering_score(catering, failing(catering, "ct.staff.03")) == 97
    assert catering_score(catering, failing(catering, "ct.staff.01")) == 90
    assert catering_score(catering, all_(catering, "fail")) == 0


def test_catering_end_to_end(shipped):
    catering = shipped["catering"]
    general = ["ct.staff.03", "ct.staff.04", "ct.buy.02", "ct.kitchen.01"]
    assert score_inspection(catering, failing(catering, *general[:3])).grade == "excellent"  # 91
    assert score_inspection(catering, failing(catering, *general)).grade == "good"  # 88
    one_key = score_inspection(catering, failing(catering, "ct.clean.01"))
    assert (one_key.score, one_key.grade, one_key.outcome) == (90, "excellent", "noncompliant")
    two_keys = score_inspection(catering, failing(catering, "ct.clean.01", "ct.buy.01"))
    assert (two_keys.score, two_keys.grade) == (80, "none")


@pytest.mark.parametrize(
    ("grades", "annual"),
    [
        (["excellent", "excellent", "good"], "A"),
        (["excellent", "good"], "A"),  # average 2.5, the A boundary
        (["good", "good", "fair"], "B"),
        (["good", "fair"], "B"),  # average 1.5, the B boundary
        (["fair", "none"], "C"),
        (["none"], "C"),
        ([], None),
    ],
)
def test_catering_annual_grade(grades, annual, shipped):
    assert catering_annual_grade(grades) == annual
    assert catering_annual_grade(grades, shipped["catering"].param("annual")) == annual


# --- score_inspection ---------------------------------------------------------------------


def test_score_for_five_goods(shipped):
    programme = shipped["five_goods"]
    score = score_inspection(programme, failing(programme, "fg.lic.04"))
    assert score.columns() == {
        "outcome": "basic",
        "score": None,
        "grade": None,
        "five_goods_met": False,
        "bright_kitchen_live": None,
        "yushi_app_in_use": None,
        "staff_count": None,
        "staff_trained": None,
    }


def test_score_for_school_canteen_copies_the_fields(shipped):
    programme = shipped["school_canteen"]
    fields = {
        "bright_kitchen_live": True,
        "yushi_app_in_use": False,
        "staff_count": 6,
        "staff_trained": 5,
    }
    score = score_inspection(programme, all_(programme), fields)
    assert score.outcome == "compliant" and score.five_goods_met is None
    assert (score.bright_kitchen_live, score.yushi_app_in_use) == (True, False)
    assert (score.staff_count, score.staff_trained) == (6, 5)


def test_fields_not_declared_stay_none(shipped):
    programme = shipped["three_small"]
    score = score_inspection(programme, all_(programme), {"bright_kitchen_live": True})
    assert score.bright_kitchen_live is None and score.score is None and score.grade is None


def test_catering_grade_withheld_in_the_first_three_months(shipped):
    catering = shipped["catering"]
    results = all_(catering)
    early = score_inspection(
        catering, results, permit_issued_on=date(2024, 5, 10), inspected_on=date(2024, 8, 9)
    )
    assert (early.score, early.grade, early.details["grade_withheld"]) == (100, None, "new_permit")
    later = score_inspection(
        catering, results, permit_issued_on=date(2024, 5, 10), inspected_on=date(2024, 8, 10)
    )
    assert later.grade == "excellent" and "grade_withheld" not in later.details
    assert in_new_permit_grace(None, date(2024, 8, 9)) is False


def test_market_grade_is_never_withheld(shipped):
    market = shipped["market"]
    score = score_inspection(
        market, all_(market), permit_issued_on=date(2024, 5, 10), inspected_on=date(2024, 5, 11)
    )
    assert (score.score, score.grade) == (40, "B")  # static factors missing: counted as worst
