"""Re-inspection requests (申请复查): the deadline, one open per unit, the due list, closing."""

import re
from datetime import UTC, date, datetime

import pytest

from app.due.visits import due_list
from app.extensions import db
from app.inspections import reinspection
from app.inspections.reinspection import open_requests, request_reinspection
from app.models import ReinspectionRequest
from tests import factories

REQUESTED_ON = date(2024, 9, 27)  # a Friday before 国庆 2024
# Working: Sep 29 (a 调休 Sunday) and 30, then Oct 1-7 off, Oct 8-11, Oct 12 (a 调休 Saturday),
# Oct 14-16: the tenth working day is Oct 16.
DEADLINE = date(2024, 10, 16)
SECRET_NAME = "王秘密店主"
SECRET_PHONE = "13803981234"


@pytest.fixture(autouse=True)
def before_national_day(monkeypatch):
    monkeypatch.setattr(reinspection, "local_today", lambda: REQUESTED_ON)


def ask(client, est, addr="203.0.113.9", **data):
    fields = {"contact_name": SECRET_NAME, "contact_phone": "138 0398 1234", "note": "已更换"}
    return client.post(
        f"/q/{est.qr_token}/reinspection",
        data={**fields, **data},
        environ_base={"REMOTE_ADDR": addr},
    )


def requests_of(est):
    query = db.select(ReinspectionRequest).where(ReinspectionRequest.establishment_id == est.id)
    return db.session.scalars(query).all()


def test_a_public_request_gets_ten_working_days_across_national_day(client, shop):
    response = ask(client, shop)
    assert response.status_code == 303
    [req] = requests_of(shop)
    assert req.source == "public" and req.status == "open" and req.due_on == DEADLINE
    assert req.contact_name == SECRET_NAME and req.contact_phone == SECRET_PHONE
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2024-10-16" in thanks


def test_a_second_request_keeps_the_first(client, shop):
    assert ask(client, shop).status_code == 303
    assert ask(client, shop, addr="198.51.100.1").status_code == 303
    assert len(requests_of(shop)) == 1
    again, created = request_reinspection(shop, "office")
    assert not created and again.id == requests_of(shop)[0].id


def test_a_bad_phone_is_refused_and_nothing_kept(client, shop):
    response = ask(client, shop, contact_phone="12")
    assert response.status_code == 400 and "有效的手机号" in response.get_data(as_text=True)
    assert requests_of(shop) == []


def test_csrf_is_checked(app, client, shop):
    app.config["WTF_CSRF_ENABLED"] = True
    assert ask(client, shop).status_code == 400
    assert requests_of(shop) == []
    page = client.get(f"/q/{shop.qr_token}/reinspection").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert ask(client, shop, csrf_token=token).status_code == 303


def test_one_sender_is_limited(app, client, make_establishment):
    limit = app.config["FANGXIN_COMPLAINTS_PER_SENDER_HOUR"]
    units = [make_establishment(name=f"店{i}") for i in range(limit + 1)]
    codes = [ask(client, est).status_code for est in units]
    assert codes == [303] * limit + [429]
    assert requests_of(units[-1]) == []


def test_it_is_on_the_inspectors_due_list_not_another_area(app, client, city, shop):
    ask(client, shop)
    today = date(2024, 10, 17)
    [row] = [r for r in due_list(city.inspector, app.config, today) if r.establishment == shop]
    reason = next(r for r in row.reasons if r.kind == "reinspection")
    assert reason.due_on == DEADLINE and row.days_overdue(today) >= 1
    others = due_list(city.other_inspector, app.config, today)
    assert shop not in [r.establishment for r in others]


def test_the_due_page_says_so(client, city, login, shop):
    request_reinspection(shop, "office")
    db.session.commit()
    login(city.inspector)
    html = client.get("/field/").get_data(as_text=True)
    assert "申请复查，期限 2024-10-16（10个工作日）" in html


def test_the_next_visit_is_preselected_as_a_follow_up(client, city, login, shop):
    login(city.inspector)
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert '<option value="followup" selected>' not in page
    request_reinspection(shop, "office")
    db.session.commit()
    page = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    assert '<option value="followup" selected>' in page


def test_a_submitted_inspection_closes_it(client, city, shop, make_inspection):
    ask(client, shop)
    inspection = make_inspection(
        shop, "five_goods", via="services", answers=factories.answers_for("five_goods")
    )
    [req] = requests_of(shop)
    assert req.status == "done" and req.closing_inspection_id == inspection.id
    assert open_requests() == []
    ask(client, shop)  # a new request after the visit opens a new one
    assert len(requests_of(shop)) == 2


def test_the_office_records_a_phone_request(client, city, login, shop):
    login(city.admin)
    response = client.post(
        f"/office/establishments/{shop.id}/reinspection",
        data={"contact_name": "李四", "contact_phone": "", "note": "电话申请"},
    )
    assert response.status_code == 302
    [req] = requests_of(shop)
    assert req.source == "office" and req.due_on == DEADLINE and req.note == "电话申请"
    page = client.get(f"/office/establishments/{shop.id}").get_data(as_text=True)
    assert "2024-10-16" in page and "李四" in page


def test_a_viewer_cannot_record_one(client, city, login, shop):
    login(city.viewer)
    response = client.post(f"/office/establishments/{shop.id}/reinspection", data={})
    assert response.status_code == 403 and requests_of(shop) == []


def test_no_personal_data_on_the_public_pages(client, shop):
    response = ask(client, shop)
    pages = [
        client.get(f"/q/{shop.qr_token}").get_data(as_text=True),
        client.get(f"/q/{shop.qr_token}/reinspection").get_data(as_text=True),
        client.get(response.headers["Location"]).get_data(as_text=True),
        client.get(f"/q/{shop.qr_token}.json").get_data(as_text=True),
    ]
    for html in pages:
        assert SECRET_NAME not in html and SECRET_PHONE not in html and "已更换" not in html
    assert "申请复查" in pages[0]


def test_an_older_visit_amended_later_leaves_it_open(shop, make_inspection):
    old = make_inspection(shop, "five_goods", datetime(2024, 9, 1, 2, 0, tzinfo=UTC))
    req, _created = request_reinspection(shop, "office")
    reinspection.close_on_inspection(old)  # as an amendment keeps the old submit time
    assert req.status == "open" and open_requests() == [req]
