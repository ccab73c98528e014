"""The national record form (issue #13): inspection types, refusal to sign, could-not-inspect."""

from datetime import timedelta
from io import BytesIO

from app.due.visits import due_list
from app.extensions import db
from app.inspections import attempts
from app.models import Inspection, VisitAttempt
from app.models.types import utcnow
from tests.factories import form_for, make_user, payload_for

REFUSAL = {"sign_refused": "1", "sign_refusal_reason": "称对结果有异议", "sign_witness": "赵六"}


def submit_form(client, insp_id, extra=None):
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods", extra=extra))
    inspection = db.session.get(Inspection, insp_id)
    return client.post(
        f"/field/inspections/{insp_id}/submit", data={"client_uuid": inspection.client_uuid}
    )


def test_type_is_chosen_at_start_defaults_to_routine_and_shows_on_the_sheet(
    client, login, city, shop, make_establishment
):
    login(city.inspector)
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    for word in ("日常检查", "双随机检查", "专项检查", "飞行检查", "复查", "投诉举报核查"):
        assert word in page
    started = client.post(
        f"/field/establishments/{shop.id}/inspect/five_goods", data={"inspection_type": "special"}
    )
    insp_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    assert db.session.get(Inspection, insp_id).inspection_type == "special"
    assert submit_form(client, insp_id).status_code == 302
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert "专项检查" in sheet
    other = make_establishment(name="另一店")
    plain = client.post(f"/field/establishments/{other.id}/inspect/five_goods")
    plain_id = int(plain.headers["Location"].rstrip("/").split("/")[-1])
    assert db.session.get(Inspection, plain_id).inspection_type == "routine"


def test_an_unknown_type_is_refused_with_a_message(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    response = submit_form(client, insp_id, {"inspection_type": "holiday"})
    # An unknown value is not stored: the draft keeps 日常 and submits as such.
    assert response.status_code == 302
    assert db.session.get(Inspection, insp_id).inspection_type == "routine"
    api = client.post("/api/v1/inspections", json=payload_for(shop, inspection_type="holiday"))
    assert api.status_code == 422 and any("检查类型" in e for e in api.json["errors"])


def test_verifying_ledger_entries_makes_a_routine_visit_a_followup(client, submitted, shop, start):
    entry_id = submitted.id  # the failed item opened a ledger entry
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert '<option value="followup" selected>' in page
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods", fail=()))
    inspection = db.session.get(Inspection, insp_id)
    from app.inspections import ledger

    action = ledger.open_entries_for(shop)[0]
    assert action.inspection_id == entry_id
    client.post(
        f"/field/inspections/{insp_id}/submit",
        data={"client_uuid": inspection.client_uuid, "verify_action": str(action.id)},
    )
    db.session.expire_all()
    assert db.session.get(Inspection, insp_id).inspection_type == "followup"


def test_refusal_to_sign_needs_reason_and_witness(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    refused = submit_form(client, insp_id, {"sign_refused": ["0", "1"]})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "【拒绝签字原因】未填写" in body and "【见证人】未填写" in body
    assert db.session.get(Inspection, insp_id).status == "draft"
    same = submit_form(client, insp_id, REFUSAL | {"sign_witness": "王五"})
    assert same.status_code == 422 and "不能是拒绝签字的经营者代表本人" in same.get_data(
        as_text=True
    )
    done = submit_form(client, insp_id, REFUSAL)
    assert done.status_code == 302
    inspection = db.session.get(Inspection, insp_id)
    assert inspection.sign_refused and inspection.sign_witness == "赵六"
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert "当事人拒绝签字" in sheet and "称对结果有异议" in sheet and "赵六" in sheet


def test_unticking_the_refusal_box_clears_it(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data={"sign_refused": ["0", "1"]})
    assert db.session.get(Inspection, insp_id).sign_refused is True
    client.post(f"/field/inspections/{insp_id}", data={"sign_refused": "0"})
    db.session.expire_all()
    assert db.session.get(Inspection, insp_id).sign_refused is False


def test_api_submit_carries_the_new_fields(client, login, city, shop):
    login(city.inspector)
    body = payload_for(
        shop,
        inspection_type="flying",
        sign_refused=True,
        sign_refusal_reason="不愿签字",
        sign_witness="社区网格员",
    )
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.json
    inspection = db.session.get(Inspection, response.json["id"])
    assert inspection.inspection_type == "flying" and inspection.sign_refused
    assert inspection.sign_witness == "社区网格员"
    missing = client.post(
        "/api/v1/inspections", json=payload_for(shop, sign_refused=True, sign_witness="")
    )
    assert missing.status_code == 422
    assert any("见证人" in e for e in missing.json["errors"])
    bad = client.post("/api/v1/inspections", json=payload_for(shop, sign_refused="yes"))
    assert bad.status_code == 422


def test_an_old_queued_payload_without_the_fields_still_submits(client, login, city, shop):
    login(city.inspector)
    body = payload_for(shop)
    for name in ("inspection_type", "sign_refused", "sign_refusal_reason", "sign_witness"):
        assert name not in body
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.json
    inspection = db.session.get(Inspection, response.json["id"])
    assert inspection.inspection_type == "routine" and inspection.sign_refused is False


def test_could_not_inspect_counts_as_attempt_and_is_due_again(
    app, client, login, city, shop, make_inspection, jpeg
):
    make_inspection(shop, "five_goods", utcnow() - timedelta(hours=1))  # not due for months
    assert shop.id not in {r.establishment.id for r in due_list(city.inspector, app.config)}
    login(city.inspector)
    refused = client.post(
        f"/field/establishments/{shop.id}/attempt",
        data={"reason": "x", "note": "卷帘门紧闭", "inspection_type": "flying"},
    )
    assert refused.status_code == 422  # the page again, with what was typed
    page = refused.get_data(as_text=True)
    assert '<details class="card" id="attempt" open>' in page and ">卷帘门紧闭</textarea>" in page
    assert '<option value="flying" selected>' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(VisitAttempt)) == 0
    response = client.post(
        f"/field/establishments/{shop.id}/attempt",
        data={"reason": "closed", "note": "卷帘门紧闭", "photo": (BytesIO(jpeg), "door.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attempt = db.session.scalars(db.select(VisitAttempt)).one()
    assert attempt.reason == "closed" and attempt.photo_id is not None
    rows = {r.establishment.id: r for r in due_list(city.inspector, app.config)}
    assert [r.kind for r in rows[shop.id].reasons if r.kind == "attempt"] == ["attempt"]
    home = client.get("/field/").get_data(as_text=True)
    assert "未能检查（停业/关门）" in home and "计为到访 1 次" in home
    # Not an inspection: the inspection count is unchanged.
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 1
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert "卷帘门紧闭" in page


def test_a_refusal_is_flagged_and_an_inspection_clears_the_attempt(
    app, client, login, city, shop, make_inspection
):
    login(city.inspector)
    client.post(f"/field/establishments/{shop.id}/attempt", data={"reason": "refused"})
    assert "拒绝检查已报办公室" in client.get("/field/").get_data(as_text=True)
    scope = db.true()
    assert [a.establishment_id for a in attempts.refused_attempts(scope)] == [shop.id]
    make_inspection(shop, "five_goods", utcnow() + timedelta(minutes=1))
    assert attempts.refused_attempts(scope) == []
    rows = {r.establishment.id: r for r in due_list(city.inspector, app.config)}
    assert shop.id not in rows or all(r.kind != "attempt" for r in rows[shop.id].reasons)


def test_the_sheet_names_the_authority_and_both_certificate_numbers(
    app, client, login, city, shop, start
):
    city.inspector.enforcement_certificate_no = "41120001"
    partner = make_user("lisi", "inspector")
    partner.display_name, partner.enforcement_certificate_no = "李四", "41120002"
    db.session.commit()
    login(city.inspector)
    insp_id = start(shop)
    submit_form(client, insp_id)
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert "义马市市场监督管理局" in sheet
    assert "41120001" in sheet and "41120002" in sheet
    assert "基本符合" in sheet and "书面限期整改" in sheet
    app.config["FANGXIN_AUTHORITY_NAME"] = "渑池县市场监督管理局"
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert "渑池县市场监督管理局" in sheet


def test_a_free_text_second_inspector_shows_no_number(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    submit_form(client, insp_id)
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    assert "李四（执法证号：未登记）" in sheet.replace("\n", "")


def test_admin_sets_the_certificate_number_and_the_user_sees_it(client, login, city):
    login(city.admin)
    user = city.inspector
    response = client.post(
        f"/office/users/{user.id}",
        data={
            "display_name": user.display_name,
            "phone": "",
            "enforcement_certificate_no": " 41120009 ",
            "role": "inspector",
            "jurisdictions": [j.id for j in user.jurisdictions],
            "active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert user.enforcement_certificate_no == "41120009"
    login(user)
    assert "41120009" in client.get("/password").get_data(as_text=True)


def test_user_import_reads_the_certificate_column(app, city):
    from app.core import user_import

    sheet = "用户名,姓名,角色,辖区,执法证号\ninspector,检查员甲,检查员,XQ,41120010\n"
    _, rows = user_import.read_users("u.csv", sheet.encode())
    assert rows[0].action == "update" and rows[0].values["enforcement_certificate_no"] == "41120010"
    user_import.apply_rows(city.admin, rows)
    db.session.commit()
    assert city.inspector.enforcement_certificate_no == "41120010"


def test_the_office_sees_refusals_until_an_inspection_follows(client, login, city, shop):
    login(city.inspector)
    client.post(
        f"/field/establishments/{shop.id}/attempt", data={"reason": "refused", "note": "老板不在"}
    )
    login(city.admin)
    page = client.get("/office/inspections").get_data(as_text=True)
    assert "拒绝检查，待办公室处理" in page and shop.name in page and "老板不在" in page


def test_the_office_record_shows_type_and_refusal(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    submit_form(client, insp_id, REFUSAL | {"inspection_type": "random"})
    login(city.admin)
    page = client.get(f"/office/inspections/{insp_id}").get_data(as_text=True)
    assert "双随机检查" in page and "称对结果有异议" in page and "赵六" in page


def test_the_offline_checklist_gets_the_types_and_refusal_texts(client, login, city):
    import json
    import re

    login(city.inspector)
    page = client.get("/field/offline").get_data(as_text=True)
    found = re.search(
        r'<script type="application/json" id="offline-texts">(.*?)</script>', page, re.S
    )
    texts = json.loads(found.group(1))
    assert ["flying", "飞行检查"] in texts["types"] and len(texts["types"]) == 6
    assert texts["witness"] == "见证人" and texts["refused"] == "当事人拒绝签字"
