"""Tokens and short codes (app/registry/codes.py), public URLs and QR images (app/placards/qr.py)."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from app.placards import qr
from app.registry import codes

from .helpers import decode

LOOK_ALIKES = set("0O1IL")


def test_tokens_are_unique_url_safe_and_long_enough():
    tokens = {codes.new_token() for _ in range(5000)}
    assert len(tokens) == 5000
    for token in tokens:
        assert len(token) >= 22
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert codes.is_token(token)


def test_token_shape_check_rejects_other_text():
    assert not codes.is_token("42")
    assert not codes.is_token("a" * 21)
    assert not codes.is_token("abc/def" + "a" * 20)
    assert not codes.is_token("a" * 65)


def test_short_codes_use_the_alphabet_without_look_alikes():
    made = [codes.new_short_code() for _ in range(2000)]
    assert len(set(made)) > 1990
    assert not LOOK_ALIKES & set(codes.SHORT_CODE_ALPHABET)
    for code in made:
        assert len(code) == 8
        assert set(code) <= set(codes.SHORT_CODE_ALPHABET)
        assert codes.is_short_code(code)
    assert set("".join(made)) == set(codes.SHORT_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd efgh", "ABCDEFGH"),
        (" ABCD-EFGH ", "ABCDEFGH"),
        ("ab-cd_ef.gh", "ABCDEFGH"),
        ("ＡＢＣＤ　２３４５", "ABCD2345"),  # full-width, from a Chinese IME
        ("ABCD－EFGH", "ABCDEFGH"),  # full-width hyphen
        ("ABCD—EFGH", "ABCDEFGH"),  # em dash
        ("", ""),
    ],
)
def test_normalise_short_code(typed, expected):
    assert codes.normalise_short_code(typed) == expected


@pytest.mark.parametrize("typed", ["ABCD0EFG", "ABCDOEFG", "ABCD1EFG", "abcdiefg", "ABCDLEFG"])
def test_look_alikes_are_not_guessed_and_fail_validation(typed):
    code = codes.normalise_short_code(typed)
    assert code == typed.upper()
    assert not codes.is_short_code(code)


def test_short_code_validation_needs_eight_characters():
    assert codes.is_short_code("ABCD2345")
    assert not codes.is_short_code("ABCD234")
    assert not codes.is_short_code("ABCD23456")


def test_format_short_code_spaces_the_halves():
    assert codes.format_short_code("ABCD2345") == "ABCD 2345"


@pytest.mark.parametrize("base", ["https://x.example.cn", "https://x.example.cn/"])
def test_public_url(base):
    assert qr.public_url(base, "tok_EN-1") == "https://x.example.cn/q/tok_EN-1"


def test_public_url_keeps_a_path_prefix():
    assert qr.public_url("http://10.0.0.5/fangxin/", "t") == "http://10.0.0.5/fangxin/q/t"


def test_qr_png_decodes_to_the_exact_url(url):
    png = qr.qr_png(url)
    assert png.startswith(b"\x89PNG")
    assert decode(png) == [url]


def test_qr_png_has_a_four_module_quiet_zone(url):
    box = 6
    img = Image.open(io.BytesIO(qr.qr_png(url, box_size=box))).convert("L")
    assert img.width == img.height == len(qr.qr_matrix(url)) * box
    zone = 4 * box
    assert img.crop((0, 0, img.width, zone)).getextrema() == (255, 255)
    assert img.crop((0, 0, zone, img.height)).getextrema() == (255, 255)
    assert img.crop((zone, zone, zone + box, zone + box)).getextrema() == (0, 0)  # finder


def test_qr_uses_error_correction_q(url):
    assert qr.ERROR_CORRECTION == qr.qrcode.constants.ERROR_CORRECT_Q


def test_qr_svg_is_well_formed_and_scalable(url):
    root = ET.fromstring(qr.qr_svg(url).encode())
    n = len(qr.qr_matrix(url))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == f"0 0 {n} {n}"
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None and path.get("d").startswith("M4 4h7")  # top-left finder


def test_qr_svg_renders_back_to_the_url(url):
    # Rasterise the SVG path data by hand (no SVG renderer needed) and decode it.
    matrix = qr.qr_matrix(url)
    d = re.findall(r"M(\d+) (\d+)h(\d+)", qr.qr_svg_path(matrix))
    drawn = [[False] * len(matrix) for _ in matrix]
    for x, y, w in ((int(a), int(b), int(c)) for a, b, c in d):
        for i in range(x, x + w):
            drawn[y][i] = True
    assert drawn == matrix
    assert decode(qr.matrix_image(drawn, 8)) == [url]
