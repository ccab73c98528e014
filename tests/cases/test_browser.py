"""The public case pages on a phone: readable, no sideways scroll."""

from datetime import date

from app.cases.service import create_case, publish
from app.extensions import db
from tests.conftest import no_sideways_scroll, screenshot


def test_public_cases_on_a_phone(city, phone):
    case = create_case(
        city.admin,
        {
            "title": "某农村食品经营店销售超过保质期食品案",
            "occurred_on": date(2024, 5, 20),
            "jurisdiction_id": city.north.id,
            "category": "rural_shop",
            "found": "货架上有超过保质期的饼干 12 袋、饮料 6 瓶。\n仓库未建立进货查验记录。",
            "handling": "当场责令下架、销毁，立案调查。",
            "penalty": "没收违法所得 86 元，罚款 5000 元。",
            "legal_basis": "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款",
        },
    )
    publish(city.admin, case)
    db.session.commit()
    phone.goto("/cases")
    phone.click(f'a[href="/cases/{case.id}"]')
    phone.wait_for_load_state()
    assert "第一百二十四条" in phone.inner_text("main")
    assert "某农村食品经营店" in phone.inner_text("main")
    no_sideways_scroll(phone)
    screenshot(phone, "public-case")
