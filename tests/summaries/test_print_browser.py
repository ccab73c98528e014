"""A department's summary printed to A4 PDF: the written sections replace the form on paper."""

import io
import unicodedata
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from app.core.clock import local_today
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import quarter_of
from app.models.types import utcnow
from app.summaries import service

pytestmark = pytest.mark.browser
TEXTS = {"work_done": "开展检查一百二十次。", "problems": "台账不全。", "next_steps": "继续督办。"}


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join(unicodedata.normalize("NFKC", p.extract_text()) for p in pages).replace(" ", "")


def test_a_draft_prints_its_texts_and_not_the_form(phone, browser_login, city):
    code = quarter_of(local_today()).code
    service.save(city.admin, LEADS[0], quarter_of(local_today()), TEXTS, utcnow())
    db.session.commit()
    browser_login(city.admin)
    phone.goto(f"/office/summaries/{code}/{quote(LEADS[0])}")
    assert phone.locator("textarea[name=work_done]").is_visible(), "the form on screen"
    assert not phone.locator(".print-only p", has_text=TEXTS["problems"]).is_visible()
    phone.emulate_media(media="print")
    text = pdf_text(phone.pdf(format="A4", print_background=True))
    for heading, written in zip(
        ("工作开展情况", "存在问题", "下步打算"), TEXTS.values(), strict=True
    ):
        assert heading in text and written in text
    assert "保存草稿" not in text and "主要指标" in text
