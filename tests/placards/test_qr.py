"""Public URLs and QR images (app/placards/qr.py); tokens and short codes: tests/registry."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from app.placards import qr

from .helpers import decode


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
