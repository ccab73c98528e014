"""English twins of the checklist texts: complete in every shipped file, out of the version."""

import re

import pytest

from app.checklists import (
    ChecklistError,
    item_text,
    load_programmes,
    localized,
    programme_from_snapshot,
    programme_title,
    section_title,
)
from app.checklists.english import parts
from app.checklists.model import ENGLISH_TWINS

CJK = re.compile(r"[\u3400-\u9fff]")
# The shipped versions before any English was added: stored inspections point at these.
VERSIONS = {
    "catering": "c9c6ce158b4c",
    "five_goods": "5a66e357d0d4",
    "market": "d4a5e7c4f12a",
    "school_canteen": "2d49d880a314",
    "three_small": "a6a184d4772b",
}
ENGLISH_DEMO = """
code = "demo"
title = "示例检查"
title_en = "Demo check"
categories = ["rural_shop"]

[scoring]
rule = "general"

[[sections]]
id = "s1"
title = "第一部分"
title_en = "Part one"

[[sections.items]]
id = "d.s1.01"
text = "甲项"
text_en = "Item A"
guidance = "提示"
guidance_en = "Hint"
key = true
"""


def test_every_shipped_text_has_an_english_twin_without_chinese(shipped):
    for programme in shipped.values():
        for where, part in parts(programme):
            for name in ENGLISH_TWINS[type(part).__name__]:
                chinese, english = getattr(part, name), getattr(part, f"{name}_en")
                if chinese:
                    assert english and not CJK.search(english), (programme.code, where, name)


def test_english_does_not_change_the_versions(shipped):
    # the programmes added later (issue #14) shipped with their English from the start
    assert {code: shipped[code].version for code in VERSIONS} == VERSIONS


def test_english_stays_out_of_the_snapshot(shipped):
    snapshot = str(shipped["market"].snapshot())
    assert "_en'" not in snapshot.replace("'title_en'", "")
    assert "Market type" not in snapshot


def test_localized_picks_the_readers_language(shipped):
    item = shipped["five_goods"].item("fg.env.05")
    assert localized(item, "text", "en").startswith("No pesticides")
    assert localized(item, "text", "zh_CN") == item.text
    assert localized(item, "guidance", "en").startswith("A shop that also sells pesticides")
    choice = shipped["market"].field("market_scale").choice("large")
    assert localized(choice, "label", "en") == "More than 300 stalls"


def test_a_missing_twin_is_a_loader_error_naming_file_and_item(write_toml):
    text = ENGLISH_DEMO.replace('guidance_en = "Hint"\n', "")
    with pytest.raises(ChecklistError) as info:
        load_programmes(write_toml(text, "demo.toml"), english=True)
    message = str(info.value)
    assert "demo.toml" in message and "'d.s1.01'" in message and "guidance_en" in message


def test_english_is_optional_outside_the_shipped_directory(write_toml, demo_toml):
    assert load_programmes(write_toml(demo_toml, "demo.toml"))["demo"].item("d.s1.01")


def test_adding_english_keeps_the_version(tmp_path):
    chinese_only = "\n".join(
        line for line in ENGLISH_DEMO.splitlines() if "_en = " not in line or "title_en" in line
    )
    (tmp_path / "en").mkdir()
    (tmp_path / "zh").mkdir()
    (tmp_path / "en" / "demo.toml").write_text(ENGLISH_DEMO, encoding="utf-8")
    (tmp_path / "zh" / "demo.toml").write_text(chinese_only, encoding="utf-8")
    english = load_programmes(tmp_path / "en", english=True)["demo"]
    chinese = load_programmes(tmp_path / "zh")["demo"]
    assert english.item("d.s1.01").text_en == "Item A" and not chinese.item("d.s1.01").text_en
    assert english.version == chinese.version


def test_a_stored_version_reads_in_english_by_item_id(shipped):
    content = shipped["five_goods"].snapshot()
    content["sections"][0]["items"][0]["text"] = "旧的条文"
    content["version"] = "old000000000"
    restored = programme_from_snapshot(content)
    assert restored.version == "old000000000"
    first = restored.sections[0].items[0]
    assert first.text == "旧的条文" and first.text_en.startswith("Premises clean")
    assert localized(restored.sections[0], "title", "en") == "Good hygiene"


def test_stored_answer_texts_by_locale():
    assert item_text("five_goods", "fg.env.01", "存", "en").startswith("Premises clean")
    assert item_text("five_goods", "fg.env.01", "存", "zh_CN") == "存"
    assert item_text("five_goods", "gone.item", "存", "en") == "存"
    assert item_text("nope", "fg.env.01", "存", "en") == "存"
    assert section_title("five_goods", "fg.env.01", "环境卫生好", "en") == "Good hygiene"
    assert section_title("five_goods", "gone.item", "旧部分", "en") == "旧部分"
    assert programme_title("five_goods", "旧标题", "en") == "Rural food shops: the five goods"
    assert programme_title("five_goods", "旧标题", "zh_CN") == "旧标题"
