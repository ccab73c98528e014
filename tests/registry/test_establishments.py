"""Registry: create, edit, close through the office pages, each audited."""

from datetime import date

from app.core import audit
from app.extensions import db
from app.models import AuditEvent, Establishment


def events(est):
    stmt = db.select(AuditEvent).where(
        AuditEvent.entity == "establishment", AuditEvent.entity_id == est.id
    )
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def form(city, **overrides):
    data = {
        "name": "义马惠民超市",
        "category": "supermarket",
        "school_type": "",
        "jurisdiction_id": city.north_c.id,
        "address": "新区街道新华路 8 号",
        "licence_no": "JY14112810000001",
        "operator": "王芳",
        "contact_phone": "13803981234",
    }
    data.update(overrides)
    return data


def test_admin_creates_an_establishment(client, city, login):
    login(city.admin)
    response = client.post("/office/establishments/new", data=form(city))
    assert response.status_code == 302
    est = db.session.scalar(db.select(Establishment).where(Establishment.name == "义马惠民超市"))
    assert est.jurisdiction_id == city.north_c.id
    assert est.qr_token and est.short_code and len(est.short_code) == 8
    [event] = events(est)
    assert event.action == "create"
    assert event.user_id == city.admin.id
    assert event.changes["after"]["licence_no"] == "JY14112810000001"


def test_duplicate_licence_is_refused_with_a_message(client, city, login, make_establishment):
    make_establishment(licence_no="JY-DUP")
    login(city.admin)
    response = client.post("/office/establishments/new", data=form(city, licence_no="JY-DUP"))
    assert response.status_code == 200
    assert "已被其他单位使用" in response.get_data(as_text=True)


def test_school_canteen_needs_a_school_type(client, city, login):
    login(city.admin)
    response = client.post("/office/establishments/new", data=form(city, category="school_canteen"))
    assert "学校食堂须选择学校类型" in response.get_data(as_text=True)
    response = client.post(
        "/office/establishments/new",
        data=form(city, category="school_canteen", school_type="primary"),
    )
    assert response.status_code == 302


def test_edit_records_what_changed(client, city, login, make_establishment):
    est = make_establishment(name="旧名字")
    login(city.admin)
    data = form(city, name="新名字", licence_no=est.licence_no, address=est.address)
    assert client.post(f"/office/establishments/{est.id}/edit", data=data).status_code == 302
    db.session.refresh(est)
    assert est.name == "新名字"
    update = events(est)[-1]
    assert update.action == "update"
    assert update.changes["name"] == ["旧名字", "新名字"]
    page = client.get(f"/office/establishments/{est.id}").get_data(as_text=True)
    assert "旧名字" in page and "新名字" in page  # history on the detail page


def test_close_keeps_the_record(client, city, login, make_establishment):
    est = make_establishment()
    login(city.admin)
    client.post(f"/office/establishments/{est.id}/close", data={"reason": "停业"})
    db.session.refresh(est)
    assert not est.active and est.closed_at is not None
    assert events(est)[-1].action == "close"
    assert client.get(f"/office/establishments/{est.id}").status_code == 200
    listed = client.get("/office/establishments").get_data(as_text=True)
    assert est.name not in listed
    assert est.name in client.get("/office/establishments?active=closed").get_data(as_text=True)


def test_close_needs_a_reason(client, city, login, make_establishment):
    est = make_establishment()
    login(city.admin)
    response = client.post(
        f"/office/establishments/{est.id}/close", data={"reason": ""}, follow_redirects=True
    )
    assert "请填写注销原因" in response.get_data(as_text=True)
    db.session.refresh(est)
    assert est.active


def test_reopen(client, city, login, make_establishment):
    est = make_establishment()
    login(city.admin)
    client.post(f"/office/establishments/{est.id}/close", data={"reason": "误操作"})
    client.post(f"/office/establishments/{est.id}/reopen")
    db.session.refresh(est)
    assert est.active and est.closed_at is None
    assert [e.action for e in events(est)] == ["create", "close", "reopen"]


def test_list_filters_and_pagination(app, client, city, login, make_establishment):
    app.config["FANGXIN_PAGE_SIZE"] = 2
    for i in range(3):
        make_establishment(name=f"甲店{i}")
    make_establishment(name="乙食堂", category="school_canteen", school_type="primary",
                       jurisdiction_id=city.south_c.id)  # fmt: skip
    login(city.admin)
    page1 = client.get("/office/establishments?q=甲店").get_data(as_text=True)
    assert "第 1 / 2 页，共 3 条" in page1
    by_category = client.get("/office/establishments?category=school_canteen").get_data(
        as_text=True
    )
    assert "乙食堂" in by_category and "甲店0" not in by_category
    by_street = client.get(f"/office/establishments?jurisdiction_id={city.south.id}")
    assert "乙食堂" in by_street.get_data(as_text=True)


def test_search_by_short_code(client, city, login, make_establishment):
    est = make_establishment(name="编码店")
    login(city.inspector)
    page = client.get(f"/field/?q={est.short_code.lower()}").get_data(as_text=True)
    assert "编码店" in page


def test_licence_validity_is_saved_audited_and_shown(client, city, login):
    login(city.admin)
    assert "许可证有效期至" in client.get("/office/establishments/new").get_data(as_text=True)
    data = form(city, permit_issued_on="2021-03-01", licence_valid_until="2026-02-28")
    assert client.post("/office/establishments/new", data=data).status_code == 302
    est = db.session.scalar(db.select(Establishment).where(Establishment.name == "义马惠民超市"))
    assert est.licence_valid_until.isoformat() == "2026-02-28"
    assert events(est)[0].changes["after"]["licence_valid_until"] == "2026-02-28"
    data["licence_valid_until"] = "2099-12-31"
    client.post(f"/office/establishments/{est.id}/edit", data=data)
    changed = audit.field_changes(events(est)[-1])
    assert changed == {"licence_valid_until": ["2026-02-28", "2099-12-31"]}
    page = client.get(f"/office/establishments/{est.id}").get_data(as_text=True)
    assert "2021-03-01" in page and "2099-12-31" in page and "已过期" not in page


def test_expired_licence_is_marked_on_the_detail_page(client, city, login, make_establishment):
    est = make_establishment(licence_valid_until=date(2020, 1, 1))
    login(city.admin)
    page = client.get(f"/office/establishments/{est.id}").get_data(as_text=True)
    assert "2020-01-01" in page and "已过期" in page


def test_validity_cannot_end_before_the_permit_was_issued(client, city, login):
    login(city.admin)
    data = form(city, permit_issued_on="2024-05-01", licence_valid_until="2024-04-30")
    response = client.post("/office/establishments/new", data=data)
    assert response.status_code == 200
    assert "有效期至不能早于许可发证日期" in response.get_data(as_text=True)
    data["licence_valid_until"] = "2024-05-01"  # the same day is allowed
    assert client.post("/office/establishments/new", data=data).status_code == 302
