"""Placard routes: PNG that decodes to the exact public URL, SVG, print page, batch sheets."""

import re
from datetime import date

import pytest

from app.extensions import db
from app.models import Registration
from app.placards.qr import public_url
from tests.placards.helpers import decode


@pytest.fixture
def admin_client(client, city, login):
    login(city.admin)
    return client


def test_png_decodes_to_the_exact_public_url(admin_client, make_establishment):
    from app.placards.images import FontNotFoundError, find_cjk_font

    try:
        find_cjk_font()
    except FontNotFoundError:
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk)")
    est = make_establishment()
    response = admin_client.get(f"/office/establishments/{est.id}/placard.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode(response.data) == [public_url("https://fangxin.example", est.qr_token)]


def test_svg_and_print_page(admin_client, make_establishment):
    est = make_establishment(name="千秋路便民店")
    svg = admin_client.get(f"/office/establishments/{est.id}/placard.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert "千秋路便民店" in text and "义马市" in text and "扫码查看食品安全信息 · 投诉举报" in text
    page = admin_client.get(f"/office/establishments/{est.id}/placard").get_data(as_text=True)
    assert page.count("<svg") == 1 and "<?xml" not in page and "A6" in page


def test_placard_shows_the_registration_number_when_issued(admin_client, make_establishment):
    est = make_establishment(category="small_shop", licence_no=None)
    db.session.add(
        Registration(establishment_id=est.id, kind="registration", number="DJ-7", state="issued",
                     applied_on=date(2024, 1, 1), issued_on=date(2024, 1, 2))
    )  # fmt: skip
    db.session.commit()
    svg = admin_client.get(f"/office/establishments/{est.id}/placard.svg").get_data(as_text=True)
    assert "DJ-7" in svg


def test_batch_page_four_to_a_sheet(admin_client, city, make_establishment):
    for _ in range(5):
        make_establishment(category="stall")
    make_establishment(category="stall", jurisdiction_id=city.south_c.id)
    make_establishment(category="rural_shop")
    html = admin_client.get(
        "/office/placards", query_string={"category": "stall", "jurisdiction_id": city.north.id}
    ).get_data(as_text=True)
    sheets = re.findall(r'<div class="sheet">(.*?)</div>', html, re.S)
    assert [s.count("<svg") for s in sheets] == [4, 1]
    assert "size: A4" in html and "共 5 张" in html


def test_registry_list_links_to_batch_print(admin_client, make_establishment):
    make_establishment()
    html = admin_client.get("/office/establishments?category=stall").get_data(as_text=True)
    assert "打印公示牌" in html and "/office/placards?category=stall" in html


@pytest.mark.parametrize(("who", "status"), [("viewer", 200), ("inspector", 403)])
def test_who_may_print(client, city, login, make_establishment, who, status):
    est = make_establishment()
    login(getattr(city, who))
    assert client.get(f"/office/establishments/{est.id}/placard.svg").status_code == status
    assert client.get("/office/placards").status_code == status


def test_scan_page_markup(client, city, login):
    login(city.inspector)
    html = client.get("/field/scan").get_data(as_text=True)
    for needed in ('id="scanner"', 'id="scanner-video"', 'id="scanner-canvas"',
                   'id="short-code-form"', 'action="/lookup"', 'data-q-base="/q/"',
                   'data-public-base="https://fangxin.example"', "vendor/jsqr/jsQR.js"):  # fmt: skip
        assert needed in html, needed
    assert "<script>" not in html


def test_scan_page_is_for_field_users(client, city, login):
    login(city.viewer)
    assert client.get("/field/scan").status_code == 403
