"""The programmes of issue #14: who they apply to and how each one scores.

Food sales, health-food sellers (task 四), online food (九), grain (十一), surveillance
sites (一) and importers (十二) all use the general rule: no failure 符合; only general
failures, at most 8, 基本符合; a key failure or more than 8 general ones 不符合.
"""

import pytest

from app.checklists import inspected_categories, programmes_for_category
from app.inspections.scoring import score_inspection
from app.models.establishment import CATEGORIES

NEW = {
    "food_sales": ("supermarket",),
    "health_food": ("health_food_seller",),
    "online_food": ("online_caterer",),
    "grain": ("grain_enterprise",),
    "surveillance_site": ("health_centre",),
    "importer": ("import_food_seller",),
}
# An item each programme must hold, and whether it is a key item (重点项).
NAMED = {
    "food_sales": [("fs.goods.01", True), ("fs.label.01", True), ("fs.bulk.01", False)],
    "health_food": [("hf.label.02", True), ("hf.ad.01", True), ("hf.ad.03", True)],
    "online_food": [("of.shop.01", True), ("of.delivery.01", False), ("of.kitchen.01", False)],
    "grain": [("gr.monitor.02", True), ("gr.quality.01", True), ("gr.trace.01", False)],
    "surveillance_site": [("ss.org.01", True), ("ss.report.01", True), ("ss.org.03", False)],
    "importer": [("im.goods.01", True), ("im.goods.02", True), ("im.label.01", True)],
}


def answers(programme, fail=(), rest="pass"):
    return {item.id: ("fail" if item.id in fail else rest) for item in programme.items}


def outcome(programme, **kw):
    return score_inspection(programme, answers(programme, **kw)).outcome


def test_every_category_has_a_programme():
    assert set(inspected_categories()) == set(CATEGORIES)
    for category in CATEGORIES:
        assert programmes_for_category(category), category


@pytest.mark.parametrize("code", sorted(NEW))
def test_categories_rule_and_texts(shipped, code):
    programme = shipped[code]
    assert programme.categories == NEW[code]
    assert programme.scoring_rule == "general"
    assert programme.param("max_general_failures") == 8
    assert programme.param("basic_requires_deadline") is True
    assert programme.title_en and all(s.title_en for s in programme.sections)
    for item_id, key in NAMED[code]:
        assert programme.item(item_id).key is key, item_id
    # sections of two items or more; key and general items both present
    assert all(len(s.items) >= 2 for s in programme.sections)
    assert any(i.key for i in programme.items) and any(not i.key for i in programme.items)


@pytest.mark.parametrize("code", sorted(NEW))
def test_general_rule_scoring(shipped, code):
    programme = shipped[code]
    key = [i.id for i in programme.items if i.key]
    general = [i.id for i in programme.items if not i.key]
    assert outcome(programme) == "compliant"
    assert outcome(programme, rest="na") == "compliant"  # nothing applicable, nothing failed
    assert outcome(programme, fail=general[:1]) == "basic"
    assert outcome(programme, fail=general[:8]) == "basic"
    assert outcome(programme, fail=key[:1]) == "noncompliant"
    assert outcome(programme, fail=[key[-1], general[0]]) == "noncompliant"
    score = score_inspection(programme, answers(programme, fail=general[:2]))
    assert (score.score, score.grade, score.five_goods_met) == (None, None, None)
    assert score.details == {"key_failures": 0, "general_failures": 2}


def test_nine_general_failures_are_noncompliant(shipped):
    # food sales is the one new programme with more than 8 general items
    programme = shipped["food_sales"]
    general = [i.id for i in programme.items if not i.key]
    assert len(general) >= 9
    assert outcome(programme, fail=general[:9]) == "noncompliant"


def test_online_caterers_get_catering_and_the_online_check():
    codes = [p.code for p in programmes_for_category("online_caterer")]
    assert codes == ["catering", "online_food"]
    assert [p.code for p in programmes_for_category("restaurant_large")] == ["catering"]


def test_online_offline_consistency_is_one_item(shipped):
    item = shipped["online_food"].item("of.shop.01")
    assert "线上线下一致" in item.text and "licence" in item.text_en and "address" in item.text_en
    assert item.section == "shop" and item.photo_on_fail


def test_importer_goods_section_holds_the_customs_papers(shipped):
    section = shipped["importer"].section("goods")
    texts = " ".join(i.text for i in section.items)
    assert "报关单" in texts and "入境货物检验检疫证明" in texts
