"""A6 QR placards (105 x 148 mm) for establishments: SVG for printing, PNG via Pillow.

One layout (in millimetres) feeds both renderers; they differ only in how they measure text.
The SVG estimates widths (a browser or printer lays out the real glyphs); the PNG measures
with the CJK font it found, see ``find_cjk_font``.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from app.placards.qr import matrix_image, qr_matrix, qr_svg_path
from app.registry.codes import format_short_code

CARD_W, CARD_H = 105.0, 148.0  # A6 portrait, mm
MARGIN = 7.0
TEXT_W = CARD_W - 2 * MARGIN
HEADER_H = 24.0
QR_BOX_MM = (21.5, 63.0, 62.0)  # x, y, side of the QR square including its quiet zone
HEADING = "食品安全信息公示"
FOOTER = "扫码查看食品安全信息 · 投诉举报"
CODE_LABEL = "查询码"
LICENCE_LABEL = "许可证/登记号："
GREEN, INK, GREY, WHITE = "#0b6b3a", "#111111", "#333333", "#ffffff"
FONT_FAMILY = '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
FONT_ENV = "FANGXIN_CJK_FONT"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/System/Library/Fonts/PingFang.ttc",  # macOS
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",  # Windows: Microsoft YaHei
    "C:/Windows/Fonts/simhei.ttf",
)
Measure = Callable[[str, float, bool], float]  # (text, size_mm, bold) -> width_mm
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class FontNotFoundError(RuntimeError):
    """No font able to draw Chinese text was found."""


@dataclass(frozen=True)
class PlacardData:
    """What a placard shows; the caller fills it from an Establishment and the config."""

    city: str
    name: str
    category_label: str
    licence_no: str | None
    url: str
    short_code: str


class TextLine(NamedTuple):
    text: str
    x: float  # mm
    y: float  # mm, baseline
    size: float  # mm, em size
    bold: bool = False
    fill: str = INK
    anchor: str = "middle"  # or "start"


# --- layout -----------------------------------------------------------------------------


def wrap(text: str, measure: Measure, size: float, width: float, bold: bool) -> list[str]:
    """Greedy line breaking: between CJK characters anywhere, Latin words kept whole."""
    tokens = re.findall(r"[A-Za-z0-9'&.\-]+|\s+|.", text.strip())
    # A Latin word wider than the whole line is broken between its letters after all.
    tokens = [c for t in tokens for c in (t if measure(t, size, bold) > width else [t])]
    lines, line = [], ""
    for token in tokens:
        if measure(line + token, size, bold) <= width or not line.strip():
            line += token
        else:
            lines.append(line.rstrip())
            line = token.lstrip()
    return [*lines, line.rstrip()] if line.strip() else lines


def fit(
    text: str, measure: Measure, sizes: Iterable[float], max_lines: int, bold: bool = False
) -> tuple[float, list[str]]:
    """The largest size at which text wraps into max_lines; at the smallest, truncate with …."""
    for size in sizes:
        lines = wrap(text, measure, size, TEXT_W, bold)
        if len(lines) <= max_lines and all(measure(ln, size, bold) <= TEXT_W for ln in lines):
            return size, lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and measure(last + "…", size, bold) > TEXT_W:
        last = last[:-1]
    return size, [*kept[:-1], last.rstrip() + "…"]


def layout(card: PlacardData, measure: Measure) -> list[TextLine]:
    """Every text line of the card, positioned in millimetres."""
    mid = CARD_W / 2
    lines = [
        TextLine(card.city, mid, 9.5, 4.6, fill=WHITE),
        TextLine(HEADING, mid, 19.0, 7.0, bold=True, fill=WHITE),
    ]
    size, name_lines = fit(card.name, measure, (8.0, 7.0, 6.2, 5.5, 5.0), 2, bold=True)
    step = size * 1.25
    for i, text in enumerate(name_lines):
        centre = 37.5 - (len(name_lines) - 1) * step / 2 + i * step
        lines.append(TextLine(text, mid, centre + 0.38 * size, size, bold=True))
    size, cat = fit(card.category_label, measure, (4.4, 3.8, 3.2), 1)
    lines.append(TextLine(cat[0] if cat else "", mid, 53.5, size, fill=GREY))
    if card.licence_no:
        size, lic = fit(LICENCE_LABEL + card.licence_no, measure, (3.6, 3.2, 2.8), 1)
        lines.append(TextLine(lic[0], mid, 59.0, size, fill=GREY))
    return [*lines, *_code_lines(card.short_code, measure), TextLine(FOOTER, mid, 143.5, 3.8)]


def _code_lines(code: str, measure: Measure) -> list[TextLine]:
    """The short code in large type with a small label before it, centred as a pair."""
    label_size, code_size, gap = 3.6, 7.0, 2.0
    spaced = format_short_code(code)
    label_w, code_w = measure(CODE_LABEL, label_size, False), measure(spaced, code_size, True)
    left = (CARD_W - label_w - gap - code_w) / 2
    return [
        TextLine(CODE_LABEL, left, 134.0, label_size, fill=GREY, anchor="start"),
        TextLine(spaced, left + label_w + gap, 134.0, code_size, bold=True, anchor="start"),
    ]


# --- SVG --------------------------------------------------------------------------------


def estimate_width(text: str, size: float, bold: bool = False) -> float:
    """Approximate rendered width in mm: CJK full width, other characters about 0.6 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return ems * size * (1.03 if bold else 1.0)


def xml_text(text: str) -> str:
    """Text safe inside XML content or a quoted attribute (escaped, invalid chars dropped)."""
    return escape(_XML_INVALID_RE.sub("", text), quote=True)


def _svg_text(line: TextLine) -> str:
    weight = ' font-weight="700"' if line.bold else ""
    return (
        f'<text x="{line.x:.2f}" y="{line.y:.2f}" font-size="{line.size:.2f}" '
        f'text-anchor="{line.anchor}" fill="{line.fill}"{weight}>{xml_text(line.text)}</text>'
    )


def placard_svg(card: PlacardData) -> str:
    """The placard as an A6 SVG document (mm units), text kept as text for crisp printing."""
    x, y, side = QR_BOX_MM
    matrix = qr_matrix(card.url)
    texts = "".join(_svg_text(line) for line in layout(card, estimate_width))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xml:lang="zh-CN" width="{CARD_W:g}mm" '
        f'height="{CARD_H:g}mm" viewBox="0 0 {CARD_W:g} {CARD_H:g}">'
        f"<title>{xml_text(card.name)}</title>"
        f'<rect width="{CARD_W:g}" height="{CARD_H:g}" fill="{WHITE}" stroke="#bbbbbb" '
        f'stroke-width="0.2"/><rect width="{CARD_W:g}" height="{HEADER_H:g}" fill="{GREEN}"/>'
        f'<rect x="{x}" y="{y}" width="{side}" height="{side}" fill="{WHITE}"/>'
        f'<path fill="#000" shape-rendering="crispEdges" '
        f'transform="translate({x} {y}) scale({side / len(matrix):.5f})" '
        f'd="{qr_svg_path(matrix)}"/>'
        f"<g font-family='{FONT_FAMILY}'>{texts}</g></svg>\n"
    )


# --- PNG --------------------------------------------------------------------------------


def find_cjk_font(configured: str | os.PathLike | None = None) -> Path:
    """The CJK font file to draw with: configured path, $FANGXIN_CJK_FONT, then known paths."""
    for explicit in (configured, os.environ.get(FONT_ENV)):
        if explicit:
            if Path(explicit).is_file():
                return Path(explicit)
            raise FontNotFoundError(_("找不到指定的中文字体文件：%(path)s", path=explicit))
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontNotFoundError(
        _(
            "未找到可显示中文的字体，无法生成公示牌图片。请安装 Noto Sans CJK"
            "（Debian/Ubuntu：apt install fonts-noto-cjk），"
            "或用环境变量 %(env)s 指定一个 .ttc/.ttf/.otf 字体文件。",
            env=FONT_ENV,
        )
    )


def bold_variant(path: Path) -> Path:
    """The Bold sibling of a Regular font file if installed, else the file itself."""
    sibling = path.with_name(path.name.replace("Regular", "Bold"))
    return sibling if sibling.is_file() else path


@lru_cache(maxsize=8)
def _face_index(path: Path) -> int:
    """In a font collection, the Simplified Chinese face (Noto CJK puts JP first)."""
    for index in range(16):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC"):
            return index
    return 0


@lru_cache(maxsize=64)
def _font(path: Path, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), px, index=_face_index(path))


def placard_png(card: PlacardData, dpi: int = 300, font_path: str | None = None) -> bytes:
    """The placard as an A6 PNG at dpi, drawn with a CJK font (FontNotFoundError if none)."""
    regular = find_cjk_font(font_path)
    fonts = {False: regular, True: bold_variant(regular)}
    ppm = dpi / 25.4

    def measure(text: str, size: float, bold: bool = False) -> float:
        return _font(fonts[bold], round(size * ppm)).getlength(text) / ppm

    img = Image.new("RGB", (round(CARD_W * ppm), round(CARD_H * ppm)), WHITE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, img.width - 1, img.height - 1), outline="#bbbbbb", width=2)
    draw.rectangle((0, 0, img.width - 1, round(HEADER_H * ppm)), fill=GREEN)
    _paste_qr(img, card.url, ppm)
    for line in layout(card, measure):
        font = _font(fonts[line.bold], round(line.size * ppm))
        anchor = "ms" if line.anchor == "middle" else "ls"
        draw.text((line.x * ppm, line.y * ppm), line.text, fill=line.fill, font=font, anchor=anchor)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def _paste_qr(img: Image.Image, url: str, ppm: float) -> None:
    """Draw the QR centred in QR_BOX_MM with a whole number of pixels per module."""
    x, y, side = (round(v * ppm) for v in QR_BOX_MM)
    matrix = qr_matrix(url)
    qr = matrix_image(matrix, side // len(matrix))
    img.paste(WHITE, (x, y, x + side, y + side))
    offset = (side - qr.width) // 2
    img.paste(qr.convert("RGB"), (x + offset, y + offset))
