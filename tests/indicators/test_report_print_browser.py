"""The quarterly report printed to A4 PDF: every street office and 合计 are on the paper."""

import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.extensions import db
from tests import factories
from tests.conftest import screenshot
from tests.indicators.test_pages import data  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

# Yima's other street offices and the development zone (the city fixture has 新区街道 and 东区街道).
OTHERS = [
    ("QQ", "千秋路街道", "street"),
    ("CY", "朝阳路街道", "street"),
    ("TS", "泰山路街道", "street"),
    ("CC", "常村路街道", "street"),
    ("KF", "先进制造业开发区", "zone"),
]
ARTIFACTS = Path(__file__).parent.parent / "artifacts"
NAMES = ["新区街道", "东区街道", *[name for _, name, _ in OTHERS]]


@pytest.fixture
def all_streets(city):
    """The full set of seven top-level units, as in Yima."""
    for code, name, kind in OTHERS:
        factories.make_jurisdiction(code, name, kind)
    db.session.commit()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, spaces dropped (NFKC: Chromium writes 山 as the radical ⼭)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [unicodedata.normalize("NFKC", p.extract_text()).replace(" ", "") for p in pages]


def test_the_report_prints_every_street_office(phone, browser_login, city, data, all_streets):  # noqa: F811
    browser_login(city.viewer)
    phone.goto("/office/reports/2024Q3")
    phone.emulate_media(media="print")
    pdf = phone.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "indicators-report-print.pdf").write_bytes(pdf)
    by_top = [text for text in pdf_pages(pdf) if "各辖区" in text]
    assert by_top, "the street-office table is missing from the print"
    for name in [*NAMES, "合计"]:
        assert name in by_top[0], name
    # A4 landscape less the page margins is 277 mm = 1047 CSS px: no street-office cell beyond it.
    phone.set_viewport_size({"width": 1047, "height": 794})
    right = phone.evaluate(
        "Math.max(...[...document.querySelectorAll('.by-top th, .by-top td')]"
        ".map(c => c.getBoundingClientRect().right))"
    )
    assert right <= 1047
    screenshot(phone, "indicators-report-print-media")
