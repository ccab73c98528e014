"""Loading the programme files: what ships, and what a bad file is refused for."""

import json

import pytest

from app.checklists import (
    ChecklistError,
    get_programme,
    load_programmes,
    programme_from_snapshot,
    programmes_for_category,
)
from app.inspections.scoring import RULES
from app.models.establishment import (
    CATEGORIES,
    CATERING_CATEGORIES,
    THREE_SMALL_CATEGORIES,
)


def refused(directory):
    """The message of the ChecklistError raised loading the directory."""
    with pytest.raises(ChecklistError) as info:
        load_programmes(directory)
    return str(info.value)


# --- what ships --------------------------------------------------------------------------


def test_shipped_files_all_load(shipped):
    assert set(shipped) == {
        *("five_goods", "school_canteen", "market", "three_small", "catering"),
        *("food_sales", "health_food", "online_food", "grain", "surveillance_site", "importer"),
    }
    for programme in shipped.values():
        assert programme.items and programme.version and programme.source.endswith(".toml")
        assert set(programme.categories) <= set(CATEGORIES)
        assert programme.param("max_general_failures") == 8


def test_shipped_programmes_cover_their_categories(shipped):
    assert shipped["five_goods"].categories == ("rural_shop",)
    assert shipped["school_canteen"].categories == ("school_canteen",)
    assert shipped["market"].categories == ("farm_market",)
    assert shipped["three_small"].categories == THREE_SMALL_CATEGORIES
    assert shipped["catering"].categories == CATERING_CATEGORIES


def test_five_goods_has_the_five_sections(shipped):
    titles = [s.title for s in shipped["five_goods"].sections]
    assert titles == ["环境卫生好", "证照公示好", "索证索票好", "食品质量好", "接受监督好"]


def test_fields_that_feed_inspection_columns(shipped):
    school = shipped["school_canteen"]
    assert [f.id for f in school.fields] == [
        "bright_kitchen_live",
        "yushi_app_in_use",
        "staff_count",
        "staff_trained",
    ]
    assert school.field("staff_trained").le == "staff_count"
    assert shipped["catering"].field("bright_kitchen_live").type == "bool"


def test_market_static_factors_fit_in_static_max(shipped):
    market = shipped["market"]
    worst = sum(max(c.points for c in f.choices) for f in market.fields)
    assert [f.id for f in market.fields] == ["market_type", "market_scale", "market_format"]
    assert worst <= market.param("static_max") == 40


def test_item_lookup_and_order(shipped):
    programme = shipped["five_goods"]
    assert programme.items[0].id == "fg.env.01"
    item = programme.item("fg.qual.01")
    assert item.key and item.section == "qual" and item.photo_on_fail
    assert programme.section(item.section).title == "食品质量好"
    with pytest.raises(KeyError):
        programme.item("fg.nope.01")


def test_points_default_from_the_rule(shipped):
    market = shipped["market"]
    assert market.item("mk.entry.02").points == 15  # key
    assert market.item("mk.entry.01").points == 5  # general


def test_programmes_for_category():
    assert [p.code for p in programmes_for_category("rural_shop")] == ["five_goods"]
    assert [p.code for p in programmes_for_category("stall")] == ["three_small"]
    # an online caterer gets the catering grade and the online check (task 九)
    assert [p.code for p in programmes_for_category("online_caterer")] == [
        "catering",
        "online_food",
    ]
    assert [p.code for p in programmes_for_category("supermarket")] == ["food_sales"]
    assert programmes_for_category("no_such_category") == []
    assert get_programme("market").scoring_rule == "market_risk"


def test_every_rule_has_a_scoring_function(shipped):
    from app.checklists import SCORING_RULES

    assert set(RULES) == set(SCORING_RULES)


# --- versions and snapshots --------------------------------------------------------------


def test_snapshot_is_json_and_round_trips(shipped):
    for programme in shipped.values():
        content = json.loads(json.dumps(programme.snapshot(), ensure_ascii=False))
        again = programme_from_snapshot(content)
        assert again.version == programme.version == content["version"]
        assert again.items == programme.items
        assert again.fields == programme.fields
        assert again.snapshot() == programme.snapshot()


def test_editing_an_item_text_changes_the_version(write_toml, demo_toml):
    before = load_programmes(write_toml(demo_toml, "demo.toml"))["demo"].version
    edited = demo_toml.replace('text = "甲项"', 'text = "甲项（修订）"')
    after = load_programmes(write_toml(edited, "demo.toml"))["demo"].version
    assert len(before) == len(after) == 12 and before != after


def test_comments_and_layout_do_not_change_the_version(write_toml, demo_toml):
    before = load_programmes(write_toml(demo_toml, "demo.toml"))["demo"].version
    reformatted = "# a comment\n" + demo_toml.replace("\n\n", "\n\n\n")
    assert load_programmes(write_toml(reformatted, "demo.toml"))["demo"].version == before


def test_a_stored_snapshot_keeps_its_version_after_the_file_changes(write_toml, demo_toml):
    old = load_programmes(write_toml(demo_toml, "demo.toml"))["demo"].snapshot()
    write_toml(demo_toml.replace("甲项", "新甲项"), "demo.toml")
    restored = programme_from_snapshot(old)
    assert restored.version == old["version"] and restored.item("d.s1.01").text == "甲项"


# --- refusals: each names file, item (when there is one) and the problem -----------------


def test_duplicate_item_id_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('"d.s1.02"', '"d.s1.01"')))
    assert "bad.toml" in message and "d.s1.01" in message and "duplicate item id" in message


def test_unknown_scoring_rule_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('rule = "general"', 'rule = "stars"')))
    assert "bad.toml" in message and "unknown scoring rule 'stars'" in message


def test_unknown_category_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('"rural_shop"', '"rural_shops"')))
    assert "bad.toml" in message and "unknown category 'rural_shops'" in message


def test_missing_text_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('text = "乙项"\n', "")))
    assert "bad.toml" in message and "d.s1.02" in message and "missing text" in message


def test_blank_text_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('text = "乙项"', 'text = "  "')))
    assert "d.s1.02" in message and "missing text" in message


def test_key_flag_must_be_a_boolean(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace("key = true", 'key = "yes"')))
    assert (
        "bad.toml" in message and "d.s1.01" in message and "'key' must be true or false" in message
    )


def test_key_flag_is_required(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace("key = false\n", "")))
    assert "d.s1.02" in message and "'key' must be true or false" in message


def test_misspelt_item_key_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace("key = false", "key = false\nphoto = true")))
    assert "d.s1.02" in message and "unknown key(s) photo" in message


def test_bad_field_type_is_refused(write_toml, demo_toml):
    field = '[[fields]]\nid = "staff"\nlabel = "人数"\ntype = "float"\n\n[[sections]]'
    message = refused(write_toml(demo_toml.replace("[[sections]]", field, 1)))
    assert "bad.toml" in message and "'staff'" in message and "bad field type 'float'" in message


def test_choice_field_needs_choices(write_toml, demo_toml):
    field = '[[fields]]\nid = "size"\nlabel = "规模"\ntype = "choice"\n\n[[sections]]'
    message = refused(write_toml(demo_toml.replace("[[sections]]", field, 1)))
    assert "'size'" in message and "needs a non-empty 'choices'" in message


def test_le_must_name_a_field(write_toml, demo_toml):
    field = '[[fields]]\nid = "trained"\nlabel = "培训"\ntype = "int"\nle = "staff"\n\n[[sections]]'
    message = refused(write_toml(demo_toml.replace("[[sections]]", field, 1)))
    assert "'trained'" in message and "unknown field 'staff'" in message


def test_rule_parameters_are_required(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('"general"', '"market_risk"')))
    assert "bad.toml" in message and "needs parameter 'static_max'" in message


def test_market_static_factors_above_static_max_are_refused(write_toml, shipped):
    from app.checklists.loader import DEFAULT_DIRECTORY

    text = (DEFAULT_DIRECTORY / "market.toml").read_text(encoding="utf-8")
    message = refused(write_toml(text.replace("static_max = 40", "static_max = 30")))
    assert "bad.toml" in message and "above static_max" in message


def test_catering_bands_need_every_grade(write_toml):
    from app.checklists.loader import DEFAULT_DIRECTORY

    text = (DEFAULT_DIRECTORY / "catering.toml").read_text(encoding="utf-8")
    message = refused(write_toml(text.replace("fair = 60 ", "")))
    assert "bad.toml" in message and "'grade_min' needs exactly" in message


def test_invalid_toml_is_refused(write_toml, demo_toml):
    message = refused(write_toml(demo_toml.replace('title = "示例检查"', "title = ")))
    assert "bad.toml" in message and "not valid TOML" in message


def test_version_may_not_be_written_in_the_file(write_toml, demo_toml):
    message = refused(write_toml('version = "abc"\n' + demo_toml))
    assert "bad.toml" in message and "'version'" in message


def test_duplicate_programme_code_across_files_is_refused(write_toml, demo_toml):
    write_toml(demo_toml, "a.toml")
    message = refused(write_toml(demo_toml, "b.toml"))
    assert (
        "b.toml" in message and "duplicate programme code 'demo'" in message and "a.toml" in message
    )


def test_a_section_without_items_is_refused(write_toml):
    text = 'code = "x"\ntitle = "空"\ncategories = ["stall"]\n[scoring]\nrule = "general"\n'
    message = refused(write_toml(text + '[[sections]]\nid = "s"\ntitle = "空部分"\n'))
    assert "bad.toml" in message and "section 's'" in message and "no items" in message


def test_scoring_parameters_are_typed(write_toml, demo_toml):
    text = demo_toml.replace('rule = "general"', 'rule = "general"\nmax_general_failures = "8"')
    message = refused(write_toml(text))
    assert "bad.toml" in message and "'max_general_failures' must be a whole number" in message
    text = demo_toml.replace('rule = "general"', 'rule = "general"\nbasic_requires_deadline = 1')
    assert "'basic_requires_deadline' must be true or false" in refused(write_toml(text))
