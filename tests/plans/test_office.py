"""The office's plan pages: who may do what, the form's messages, the draw and redraw."""

import pytest

from app.extensions import db
from app.models import InspectionPlan, PlanDraw


def form(city, crew, **over):
    data = {
        "name": "2026年度双随机",
        "kind": "annual",
        "lead_department": "食品经营监管科",
        "starts_on": "2026-01-01",
        "ends_on": "2099-12-31",
        "categories": ["restaurant_small"],
        "jurisdiction_ids": [city.north.id, city.south.id],
        "quota_kind": "percent",
        "quota": "50",
        "weight_a": "1",
        "weight_b": "2",
        "weight_c": "3",
        "weight_d": "4",
        "weight_none": "2",
        "bad_record_factor": "2",
        "inspector_ids": [u.id for u in crew],
        "recuse_area_inspector": "y",
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    "role, page, change", [("admin", 200, 302), ("viewer", 200, 403), ("inspector", 403, 403)]
)
def test_who_may_see_and_change_plans(client, login, city, crew, make_plan, role, page, change):
    plan = make_plan()
    login(getattr(city, role))
    assert client.get("/office/plans").status_code == page
    assert client.get(f"/office/plans/{plan.id}").status_code == page
    assert client.post("/office/plans/new", data=form(city, crew)).status_code == change
    assert client.post(f"/office/plans/{plan.id}/draw").status_code == change


def test_an_empty_database_shows_empty_pages(client, login, city):
    login(city.admin)
    assert "还没有检查计划" in client.get("/office/plans").get_data(as_text=True)
    assert client.get("/office/plans/new").status_code == 200
    assert client.get("/office/plans/999").status_code == 404
    assert client.get("/office/plan-draws/999").status_code == 404


@pytest.mark.parametrize(
    "over, message",
    [
        ({"categories": []}, "请至少选择一个单位类别"),
        ({"jurisdiction_ids": []}, "请至少选择一个街道"),
        ({"quota": "0"}, "抽取比例或数量须至少为 1"),
        ({"quota": "150"}, "比例须在 1% 到 100% 之间"),
        ({"quota": "abc"}, "不是有效的整数"),
        ({"ends_on": "2025-01-01"}, "结束日期不能早于开始日期"),
        ({"weight_d": "0"}, "权重须在 0.1 到 100 之间"),
        ({"name": ""}, "请填写此项"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, login, city, crew, over, message):
    login(city.admin)
    response = client.post("/office/plans/new", data=form(city, crew, **over))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(InspectionPlan)) is None


def test_create_draw_redraw_and_the_record(client, login, city, crew, catering):
    login(city.admin)
    response = client.post("/office/plans/new", data=form(city, crew))
    plan = db.session.scalar(db.select(InspectionPlan))
    assert response.headers["Location"].endswith(f"/office/plans/{plan.id}")
    assert plan.recuse_area_inspector and not plan.recuse_last_pair
    assert plan.risk_weights == {"A": 1, "B": 2, "C": 3, "D": 4, "": 2}
    response = client.post(f"/office/plans/{plan.id}/draw")
    draw = db.session.scalar(db.select(PlanDraw))
    record = client.get(response.headers["Location"]).get_data(as_text=True)
    assert draw.seed in record and "结果一致" in record and "efraimidis-spirakis/v1" in record
    refused = client.post(f"/office/plans/{plan.id}/draw", follow_redirects=True).get_data(
        as_text=True
    )
    assert "必须填写理由" in refused
    client.post(f"/office/plans/{plan.id}/draw", data={"reason": "名录更新"})
    page = client.get(f"/office/plans/{plan.id}").get_data(as_text=True)
    assert "第 2 次抽取" in page and "已作废" in page and "名录更新" in page
    assert client.get(f"/office/plans/{plan.id}/edit").status_code == 200


def test_too_few_inspectors_is_a_message_not_a_500(client, login, city, crew, catering):
    login(city.admin)
    client.post("/office/plans/new", data=form(city, crew, inspector_ids=[crew[0].id]))
    plan = db.session.scalar(db.select(InspectionPlan))
    page = client.post(f"/office/plans/{plan.id}/draw", follow_redirects=True)
    assert page.status_code == 200 and "不足 2 名" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(PlanDraw)) is None


def test_a_declared_conflict_is_recorded_and_bad_input_keeps_the_text(client, login, city, crew):
    from app.models import InspectorConflict
    from tests import factories

    est = factories.make_establishment(city, category="restaurant_small")
    login(city.admin)
    bad = client.post("/office/plan-conflicts", data={"user_id": crew[0].id, "reason": "亲属经营"})
    assert bad.status_code == 400 and "亲属经营" in bad.get_data(as_text=True)
    data = {"user_id": crew[0].id, "licence_no": est.licence_no, "reason": "亲属经营"}
    assert client.post("/office/plan-conflicts", data=data).status_code == 302
    conflict = db.session.scalar(db.select(InspectorConflict))
    assert (conflict.user_id, conflict.establishment_id) == (crew[0].id, est.id)
    assert "亲属经营" in client.get("/office/plan-conflicts").get_data(as_text=True)
    client.post("/logout")
    login(city.viewer)
    assert client.get("/office/plan-conflicts").status_code == 200
    assert client.post("/office/plan-conflicts", data=data).status_code == 403
