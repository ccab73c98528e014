"""Typical cases: writing, publishing, withdrawing, the public page and who may do what."""

import pytest

from app.core.audit import history
from app.extensions import db
from app.models import TypicalCase

FORM = {
    "title": "某超市销售过期食品案",
    "occurred_on": "2024-05-20",
    "source_kind": "",
    "source_id": "",
    "jurisdiction_id": "",
    "category": "supermarket",
    "found": "货架上有超过保质期的饼干 12 袋。",
    "handling": "责令下架销毁，立案调查。",
    "penalty": "没收违法所得，罚款 5000 元。",
    "legal_basis": "《中华人民共和国食品安全法》第三十四条、第一百二十四条",
}


def write(client, **over):
    return client.post("/office/cases/new", data=FORM | over)


def only_case() -> TypicalCase:
    return db.session.scalars(db.select(TypicalCase)).one()


def test_draft_publish_withdraw_with_audit(city, client, login):
    login(city.admin)
    assert write(client, jurisdiction_id=str(city.north.id)).status_code == 302
    case = only_case()
    assert case.state == "draft"
    assert "某超市销售过期食品案" not in client.get("/cases").get_data(as_text=True)
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.post(f"/office/cases/{case.id}/publish").status_code == 302
    page = client.get("/cases").get_data(as_text=True)
    assert "某超市销售过期食品案" in page and "新区街道" in page
    detail = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "第一百二十四条" in detail and "某超市" in detail
    refused = client.post(f"/office/cases/{case.id}/withdraw", data={"reason": ""})
    assert refused.status_code == 422 and "请填写撤回原因" in refused.get_data(as_text=True)
    client.post(f"/office/cases/{case.id}/withdraw", data={"reason": "当事人已申请复议"})
    assert client.get(f"/cases/{case.id}").status_code == 404
    db.session.expire_all()
    actions = [e.action for e in history(only_case(), oldest_first=True)]
    assert actions == ["create", "publish", "withdraw"]


def test_a_phone_number_stops_publication(city, client, login):
    login(city.admin)
    write(client, handling="举报人王某（电话 13912345678）反映")
    case = only_case()
    page = client.post(f"/office/cases/{case.id}/publish")
    assert page.status_code == 422
    assert "11 位手机号码" in page.get_data(as_text=True)
    db.session.expire_all()
    assert only_case().state == "draft"


def test_a_published_case_cannot_be_edited_to_hold_an_id_number(city, client, login):
    login(city.admin)
    write(client)
    case = only_case()
    client.post(f"/office/cases/{case.id}/publish")
    page = client.post(f"/office/cases/{case.id}", data=FORM | {"found": "411221198001011234"})
    assert page.status_code == 422 and "18 位身份证号码" in page.get_data(as_text=True)
    db.session.expire_all()
    assert only_case().found == FORM["found"]


def test_operator_named_only_when_chosen(city, client, login, make_establishment, make_inspection):
    est = make_establishment(name="红星商店")
    inspection = make_inspection(est)
    login(city.admin)
    linked = {"source_kind": "inspection", "source_id": str(inspection.id), "category": ""}
    write(client, **linked)
    case = only_case()
    assert case.establishment_id == est.id and case.jurisdiction_id == city.north.id
    client.post(f"/office/cases/{case.id}/publish")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "红星商店" not in page and "某农村食品经营店" in page
    client.post(f"/office/cases/{case.id}", data=FORM | linked | {"show_operator_name": "1"})
    assert "红星商店" in client.get(f"/cases/{case.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "请填写案例标题"),
        ("occurred_on", "2024-02-30", "有效的案发日期"),
        ("source_id", "abc", "编号须为正整数"),
    ],
)
def test_bad_input_is_refused_in_chinese(city, client, login, field, value, message):
    login(city.admin)
    source = {"source_kind": "complaint"} if field == "source_id" else {}
    page = write(client, **source, **{field: value})
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert db.session.scalars(db.select(TypicalCase)).first() is None


def test_an_unknown_source_is_refused(city, client, login):
    login(city.admin)
    page = write(client, source_kind="ledger", source_id="999")
    assert page.status_code == 422 and "找不到编号为 999" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "read", "write_status"),
    [("viewer", 200, 403), ("inspector", 403, 403), ("admin", 200, 302)],
)
def test_access(city, client, login, role, read, write_status):
    login(getattr(city, role))
    assert client.get("/office/cases").status_code == read
    assert write(client).status_code == write_status


@pytest.mark.parametrize("role", ["viewer", "inspector"])
def test_only_admins_edit_publish_or_withdraw(city, client, login, role):
    login(city.admin)
    write(client)
    case = only_case()
    client.post("/logout")
    login(getattr(city, role))
    assert client.post(f"/office/cases/{case.id}", data=FORM).status_code == 403
    assert client.post(f"/office/cases/{case.id}/publish").status_code == 403
    assert client.post(f"/office/cases/{case.id}/withdraw", data={"reason": "x"}).status_code == 403


def test_public_pages_need_no_login_and_link_from_the_lookup(client, city):
    page = client.get("/cases")
    assert page.status_code == 200 and "暂无公布的典型案例" in page.get_data(as_text=True)
    assert 'href="/cases"' in client.get("/lookup").get_data(as_text=True)
