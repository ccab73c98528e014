"""A6 placards (app/placards.py): SVG structure, PNG size, QR region, fonts."""

import dataclasses
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from app.placards import images as placards
from app.placards.images import FontNotFoundError, PlacardData, placard_png, placard_svg
from app.registry.codes import format_short_code

from .helpers import decode

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_svg_is_well_formed_a6_with_every_field(card):
    svg = placard_svg(card)
    root = ET.fromstring(svg.encode())
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "105mm",
        "148mm",
        "0 0 105 148",
    )
    texts = "".join(svg_texts(svg))
    for part in (card.city, "食品安全信息公示", card.category_label, card.licence_no):
        assert part in texts
    assert format_short_code(card.short_code) in texts
    assert "扫码查看食品安全信息 · 投诉举报" in texts
    assert '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif' in svg


def test_svg_escapes_the_name(card):
    svg = placard_svg(card)
    assert "&amp;" in svg and "&lt;家常菜馆&gt;" in svg
    assert "<家常菜馆>" not in svg
    assert card.name.replace(" ", "") in "".join(svg_texts(svg)).replace(" ", "")
    title = ET.fromstring(svg.encode()).find(f"{SVG}title")
    assert title.text == card.name


def test_svg_drops_characters_xml_cannot_hold(card):
    svg = placard_svg(dataclasses.replace(card, name='A\x00B\x1f"C"'))
    ET.fromstring(svg.encode())
    assert "A" in svg and "&quot;C&quot;" in svg


def test_svg_without_licence_omits_the_line(card):
    svg = placard_svg(dataclasses.replace(card, licence_no=None))
    assert "许可证" not in svg


def test_long_name_wraps_to_two_lines_then_truncates(card):
    measure = placards.estimate_width
    long = "义马市" + "千秋路好味道家常菜" * 2
    size, lines = placards.fit(long, measure, (8.0, 6.0, 5.0), 2, bold=True)
    assert len(lines) == 2 and "".join(lines) == long
    assert all(measure(line, size, True) <= placards.TEXT_W for line in lines)
    size, lines = placards.fit(long * 4, measure, (8.0, 5.0), 2, bold=True)
    assert size == 5.0 and len(lines) == 2 and lines[-1].endswith("…")


def test_wrap_keeps_latin_words_whole():
    lines = placards.wrap("Golden Dragon Restaurant 金龙酒家", placards.estimate_width, 8, 90, True)
    assert lines == ["Golden Dragon", "Restaurant 金龙酒家"]


def test_png_is_a6_at_300_dpi(card, cjk_font):
    img = Image.open(io.BytesIO(placard_png(card)))
    assert img.size == (1240, 1748)  # 105 x 148 mm at 300 dpi
    assert img.size[1] / img.size[0] == pytest.approx(148 / 105, rel=1e-3)
    assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_png_qr_region_decodes_to_the_url_with_a_quiet_zone(card, cjk_font):
    img = Image.open(io.BytesIO(placard_png(card))).convert("L")
    ppm = 300 / 25.4
    x, y, side = (round(v * ppm) for v in placards.QR_BOX_MM)
    region = img.crop((x, y, x + side, y + side))
    assert decode(region) == [card.url]
    module = side // len(placards.qr_matrix(card.url))
    margin = (side % module) // 2 + 4 * module
    assert region.crop((0, 0, side, margin)).getextrema() == (255, 255)
    assert region.crop((0, 0, margin, side)).getextrema() == (255, 255)


def test_png_whole_card_decodes_to_the_url(card, cjk_font):
    assert decode(placard_png(card, dpi=150)) == [card.url]


def test_png_draws_long_names(card, cjk_font):
    long = dataclasses.replace(card, name="义马市千秋路街道" + "好味道" * 20, licence_no="X" * 64)
    assert decode(placard_png(long, dpi=200)) == [card.url]


def test_configured_font_path_wins(tmp_path, cjk_font):
    assert placards.find_cjk_font(cjk_font) == cjk_font


def test_font_lookup_uses_the_environment(monkeypatch, cjk_font):
    monkeypatch.setenv(placards.FONT_ENV, str(cjk_font))
    assert placards.find_cjk_font() == cjk_font


def test_missing_configured_font_is_a_clear_error(tmp_path):
    with pytest.raises(FontNotFoundError, match="找不到指定的中文字体文件"):
        placards.find_cjk_font(tmp_path / "none.ttc")


def test_no_font_anywhere_is_a_clear_chinese_error(monkeypatch):
    monkeypatch.delenv(placards.FONT_ENV, raising=False)
    monkeypatch.setattr(placards, "FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    with pytest.raises(FontNotFoundError, match=r"未找到可显示中文的字体.*fonts-noto-cjk"):
        placards.placard_png(
            PlacardData("义马市", "店", "小摊点", None, "https://x/q/t", "ABCD2345")
        )


def test_noto_collection_uses_the_simplified_chinese_face(cjk_font):
    if "NotoSansCJK" not in cjk_font.name:
        pytest.skip(f"face selection is checked on Noto Sans CJK; found {cjk_font}")
    font = placards._font(cjk_font, 40)
    assert font.getname()[0] == "Noto Sans CJK SC"
