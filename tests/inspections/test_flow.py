"""The inspector's flow through the test client: start, answer, draft, review, submit, sheet."""

from app.extensions import db
from app.models import Answer, AuditEvent, ChecklistVersion, Inspection
from tests.factories import FAIL_ITEM, form_for, signature_data_url


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_establishment_page_offers_only_programmes_for_its_category(
    client, login, city, make_establishment
):
    login(city.inspector)
    shop = make_establishment(category="rural_shop")
    market = make_establishment(category="farm_market")
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert "/inspect/five_goods" in page and "/inspect/market" not in page
    page = client.get(f"/field/establishments/{market.id}").get_data(as_text=True)
    assert "/inspect/market" in page and "/inspect/five_goods" not in page
    assert client.post(f"/field/establishments/{shop.id}/inspect/market").status_code == 404


def test_start_creates_one_draft_and_reopening_resumes_it(client, login, city, shop, start):
    login(city.inspector)
    first = start(shop)
    assert start(shop) == first
    assert count(Inspection) == 1
    draft = db.session.get(Inspection, first)
    assert draft.status == "draft" and len(draft.client_uuid) == 36
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert "继续草稿" in page and f"/field/inspections/{first}" in page
    checklist = client.get(f"/field/inspections/{first}").get_data(as_text=True)
    assert f'value="{draft.client_uuid}"' in checklist
    assert checklist.count('type="radio"') == 3 * 22


def test_plain_post_saves_a_partial_draft_and_reload_shows_it(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    data = {"r.fg.env.01": "pass", "n.fg.env.01": "", "r.fg.lic.03": "fail", "n.fg.lic.03": "过期"}
    data |= {"h.fg.lic.03": "deadline", "d.fg.lic.03": "2030-01-31", "action": "save"}
    response = client.post(f"/field/inspections/{insp_id}", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "草稿已保存" in page
    assert 'id="r-fg.env.01-pass" name="r.fg.env.01" value="pass" checked' in page
    assert 'value="deadline" selected' in page and 'value="2030-01-31"' in page
    assert "过期</textarea>" in page
    rows = {a.item_id: a for a in db.session.get(Inspection, insp_id).answers}
    assert rows[FAIL_ITEM].item_text == "从业人员持有有效健康证明并公示"
    assert rows[FAIL_ITEM].section == "证照公示好"


def test_autosave_answers_json_and_keeps_the_draft(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    response = client.post(
        f"/field/inspections/{insp_id}/draft",
        data={"r.fg.env.02": "na", "second_inspector": "李四"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json["saved_at"] and response.json["updated_at"] > 0
    draft = db.session.get(Inspection, insp_id)
    assert draft.second_inspector == "李四"
    assert {a.item_id: a.result for a in draft.answers} == {"fg.env.02": "na"}


def test_review_lists_problems_with_links_and_keeps_the_draft(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    data = form_for("five_goods", skip=("fg.env.04",), extra={"second_inspector": ""})
    response = client.post(f"/field/inspections/{insp_id}", data={**data, "action": "review"})
    assert response.headers["Location"].endswith(f"/field/inspections/{insp_id}/review")
    page = client.get(f"/field/inspections/{insp_id}/review").get_data(as_text=True)
    assert "还不能提交" in page
    assert f"/field/inspections/{insp_id}#item-fg.env.04" in page
    assert "#second_inspector" in page and "第二名检查人员" in page
    assert "确认提交" not in page
    refused = client.post(
        f"/field/inspections/{insp_id}/submit",
        data={"client_uuid": db.session.get(Inspection, insp_id).client_uuid},
    )
    assert refused.status_code == 422
    assert db.session.get(Inspection, insp_id).status == "draft"


def test_review_shows_outcome_grade_and_failures(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods"))
    page = client.get(f"/field/inspections/{insp_id}/review").get_data(as_text=True)
    assert "基本符合" in page and "“五好”未达标" in page
    assert "从业人员持有有效健康证明并公示" in page and "书面限期整改" in page
    assert "确认提交" in page


def test_submit_stores_scores_version_and_snapshot_then_shows_the_sheet(
    client, submitted, shop, city
):
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert submitted.outcome == "basic" and submitted.five_goods_met is False
    assert submitted.second_inspector == "李四" and submitted.operator_rep == "王五"
    version = submitted.checklist_version
    assert version.programme == "five_goods" and version.content["sections"][0]["id"] == "env"
    assert count(ChecklistVersion) == 1
    failed = [a for a in submitted.answers if a.result == "fail"]
    assert [(a.item_id, a.handling) for a in failed] == [(FAIL_ITEM, "deadline")]
    assert all(a.handling is None for a in submitted.answers if a.result != "fail")
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.entity == "inspection")
    )
    assert "submit" in list(actions)
    sheet = client.get(f"/field/inspections/{submitted.id}/sheet").get_data(as_text=True)
    assert "结果记录表" in sheet and shop.name in sheet and "基本符合" in sheet
    assert "李四" in sheet and "王五" in sheet and version.version in sheet
    assert "20 个工作日内" in sheet and "下一次监督检查" in sheet
    assert client.get(f"/field/inspections/{submitted.id}").status_code == 302


def test_replayed_submit_creates_nothing(client, submitted):
    before = (count(Inspection), count(Answer))
    response = client.post(
        f"/field/inspections/{submitted.id}/submit", data={"client_uuid": submitted.client_uuid}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sheet")
    assert (count(Inspection), count(Answer)) == before


def test_a_submitted_inspection_cannot_be_edited(client, submitted):
    response = client.post(f"/field/inspections/{submitted.id}", data={"r.fg.env.01": "fail"})
    assert response.status_code == 302
    draft = client.post(f"/field/inspections/{submitted.id}/draft", data={"r.fg.env.01": "fail"})
    assert draft.status_code == 409
    db.session.expire_all()
    assert {a.item_id: a.result for a in submitted.answers}["fg.env.01"] == "pass"


def test_signature_is_stored_as_png_and_shown_on_the_sheet(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    client.post(
        f"/field/inspections/{insp_id}",
        data=form_for("five_goods", extra={"signature": signature_data_url()}),
    )
    inspection = db.session.get(Inspection, insp_id)
    assert inspection.signature_key and inspection.signature_key.endswith(".png")
    client.post(
        f"/field/inspections/{insp_id}/submit", data={"client_uuid": inspection.client_uuid}
    )
    image = client.get(f"/field/inspections/{insp_id}/signature.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert "signature.png" in client.get(f"/field/inspections/{insp_id}/sheet").get_data(
        as_text=True
    )


def test_a_bad_signature_is_refused_and_nothing_else_is_lost(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    bad = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"  # truncated PNG
    response = client.post(
        f"/field/inspections/{insp_id}",
        data={"r.fg.env.01": "pass", "signature": bad},
        follow_redirects=True,
    )
    assert "签名" in response.get_data(as_text=True)
    inspection = db.session.get(Inspection, insp_id)
    assert inspection.signature_key is None and inspection.answers[0].result == "pass"


def test_market_inspection_grades_the_market(client, login, city, make_establishment, start):
    login(city.inspector)
    market = make_establishment(category="farm_market")
    insp_id = start(market, "market")
    fields = {"f.market_type": "produce", "f.market_scale": "small"}
    client.post(f"/field/inspections/{insp_id}", data=form_for("market", fail=(), extra=fields))
    page = client.get(f"/field/inspections/{insp_id}/review").get_data(as_text=True)
    assert "【经营形态】未填写" in page and "#field-market_format" in page
    client.post(f"/field/inspections/{insp_id}/draft", data={"f.market_format": "indoor"})
    inspection = db.session.get(Inspection, insp_id)
    assert inspection.fields["market_type"] == "produce", "a partial save keeps the other fields"
    client.post(
        f"/field/inspections/{insp_id}/submit", data={"client_uuid": inspection.client_uuid}
    )
    db.session.expire_all()
    assert inspection.status == "submitted" and inspection.grade in ("A", "B", "C", "D")
    assert market.risk_grade == inspection.grade and market.risk_assessed_on is not None
    page = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert f"风险等级 {inspection.grade}" in page and "静态" in page
    graded = db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.entity == "establishment", AuditEvent.action == "update"
        )
    )
    assert graded.entity_id == market.id and graded.user_id == city.inspector.id
    assert graded.changes["risk_grade"] == [None, inspection.grade]


def test_home_shows_last_inspection_date_and_outcome(client, submitted, shop):
    page = client.get("/field/establishments").get_data(as_text=True)
    assert "上次检查" in page and "基本符合" in page
    assert submitted.submitted_at.astimezone().strftime("%Y") in page
