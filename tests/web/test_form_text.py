"""Typed text in every form: full-width spaces trimmed, control characters dropped."""

from app.core.text import clean_text, normalise_header
from app.web.forms import strip


def test_strip_trims_full_width_spaces_and_drops_control_characters():
    assert strip("\u3000 好运来\x0b商店\u200b\u3000") == "好运来商店"
    assert strip("第一段\r\n第二段 ") == "第一段\r\n第二段"  # a text area keeps its lines
    assert strip(None) is None


def test_clean_text_makes_line_breaks_spaces():
    assert clean_text("新华路\n1号\t") == "新华路 1号"
    assert clean_text("甲\u00a0乙") == "甲 乙"


def test_headers_compare_by_meaning():
    assert normalise_header("联系\n电话（手机）：") == "联系电话(手机)"
    assert normalise_header("*单位\u3000名称:") == "单位名称"


def test_the_establishment_form_stores_trimmed_text(client, city, login, make_establishment):
    from app.extensions import db

    est = make_establishment(name="甲店")
    login(city.admin)
    page = client.get(f"/office/establishments/{est.id}/edit").get_data(as_text=True)
    assert "甲店" in page
    data = {
        "name": "\u3000甲店\x0b\u3000",
        "category": "rural_shop",
        "jurisdiction_id": str(est.jurisdiction_id),
        "address": " 新华路\u30001号\u3000",
        "licence_no": est.licence_no,
        "operator": "",
        "contact_phone": "\u3000139\u3000",
    }
    response = client.post(f"/office/establishments/{est.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(est)
    assert (est.name, est.address, est.contact_phone) == ("甲店", "新华路 1号", "139")
