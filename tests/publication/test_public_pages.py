"""Published results on the placard page (type, handling, 更正) and the public plan list."""

from datetime import date

import pytest

from app.extensions import db
from app.models import InspectionPlan, PlanDraw, PlanVisit
from app.publication import public, review

FAILED = {"fg.lic.03": {"result": "fail", "handling": "deadline"}}


@pytest.fixture
def result(shop, make_inspection):
    return make_inspection(shop, "five_goods", answers=FAILED, inspection_type="random")


def test_placard_shows_the_published_result_with_type_and_handling(client, city, shop, result):
    assert public.posted_result(shop.id) is None  # not before review
    review.approve(city.admin, result)
    html = client.get(f"/q/{shop.qr_token}").get_data(as_text=True)
    assert "检查结果公示" in html and "双随机检查" in html and "书面限期整改" in html
    assert "更正" not in html


def test_amended_after_publication_shows_corrected_with_date(
    client, city, shop, result, make_inspection
):
    review.approve(city.admin, result)
    result.superseded = True
    fixed = make_inspection(shop, "five_goods", amends_id=result.id, revision=2, answers=FAILED)
    review.approve(city.admin, fixed)
    db.session.commit()
    html = client.get(f"/q/{shop.qr_token}").get_data(as_text=True)
    assert "更正" in html and fixed.corrected_at.strftime("%Y-") in html


def make_plan(city, shop, inspection):
    plan = InspectionPlan(
        name="2026年度双随机抽查", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), quota=10
    )
    db.session.add(plan)
    db.session.flush()
    draw = PlanDraw(plan_id=plan.id, number=1, seed="s", method="m", target_count=1)
    db.session.add(draw)
    db.session.flush()
    db.session.add(
        PlanVisit(
            draw_id=draw.id, plan_id=plan.id, establishment_id=shop.id,
            lead_inspector_id=city.inspector.id, partner_id=city.other_inspector.id,
            due_on=date(2026, 6, 30), inspection_id=inspection.id,
        )
    )  # fmt: skip
    db.session.commit()
    return plan


def test_plan_page_lists_published_results(client, city, shop, result):
    plan = make_plan(city, shop, result)
    assert "本计划尚无公示的检查结果" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    review.approve(city.admin, result)
    html = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert shop.name in html and "双随机检查" in html and "书面限期整改" in html
    assert "2026年度双随机抽查" in client.get("/plans").get_data(as_text=True)
    assert "inspector" not in html


@pytest.mark.parametrize("url", ["/plans/99", "/plans/99999999999999999999"])
def test_unknown_plan_is_404(client, city, url):
    assert client.get(url).status_code == 404
