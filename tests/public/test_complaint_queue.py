"""The office complaint queue: who sees what, assign, reply, open → in progress → closed."""

import pytest

from app.extensions import db
from app.models import AuditEvent, Complaint
from app.public.complaints import submit_complaint
from app.registry.codes import format_short_code


@pytest.fixture
def pair(city, make_establishment):
    north = make_establishment(name="北边小店")
    south = make_establishment(name="南边小店", jurisdiction_id=city.south_c.id)
    made = [
        submit_complaint(est, text, "13803981234", f"hash-{n}", 9)
        for n, (est, text) in enumerate(((north, "北边的举报"), (south, "南边的举报")))
    ]
    db.session.commit()
    return made


def listing(client, **query):
    response = client.get("/office/complaints", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "sees_north", "sees_south"),
    [("admin", True, True), ("viewer", True, True), ("inspector", True, False),
     ("other_inspector", False, True)],
)  # fmt: skip
def test_who_sees_which_complaints(client, city, login, pair, who, sees_north, sees_south):
    login(getattr(city, who))
    html = listing(client)
    assert ("北边的举报" in html) is sees_north
    assert ("南边的举报" in html) is sees_south
    north, south = pair
    assert client.get(f"/office/complaints/{north.id}").status_code == (200 if sees_north else 404)
    assert client.get(f"/office/complaints/{south.id}").status_code == (200 if sees_south else 404)


def test_anonymous_is_sent_to_login(client, pair):
    assert client.get("/office/complaints").status_code == 302


def test_filters(client, city, login, pair):
    north, _ = pair
    login(city.admin)
    assert "南边的举报" not in listing(client, jurisdiction_id=city.north.id)
    assert "北边的举报" not in listing(client, q="南边")
    assert "北边的举报" in listing(client, q=north.establishment.short_code)
    assert "北边的举报" in listing(client, q=format_short_code(north.establishment.short_code))
    assert "北边的举报" in listing(client, state="open")
    assert "北边的举报" not in listing(client, state="closed")


def test_full_workflow_is_audited(client, city, login, pair):
    north, _ = pair
    login(city.admin)
    url = f"/office/complaints/{north.id}"
    assert client.post(f"{url}/assign", data={"inspector_id": city.inspector.id}).status_code == 302
    db.session.refresh(north)
    assert north.assigned_to_id == city.inspector.id and north.state == "in_progress"
    client.post("/logout")

    login(city.inspector)
    refused = client.post(f"{url}/reply", data={"reply": "", "step": "advance"})
    assert refused.status_code == 400 and "办结前请填写处理意见" in refused.get_data(as_text=True)
    client.post(f"{url}/reply", data={"reply": "已约谈，限期整改", "step": "save"})
    db.session.refresh(north)
    assert north.reply == "已约谈，限期整改" and north.state == "in_progress"
    client.post(f"{url}/reply", data={"reply": "复查合格", "step": "advance"})
    db.session.refresh(north)
    assert north.state == "closed" and north.closed_at is not None and north.reply == "复查合格"
    assert client.post(f"{url}/reply", data={"reply": "再改", "step": "save"}).status_code == 403

    actions = db.session.scalars(
        db.select(AuditEvent.action)
        .where(AuditEvent.entity == "complaint", AuditEvent.entity_id == north.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "assign", "reply", "close"]
    page = client.get(url).get_data(as_text=True)
    assert "复查合格" in page and "举报办结" in page


def test_open_to_in_progress_without_assigning(client, city, login, pair):
    north, _ = pair
    login(city.inspector)
    client.post(f"/office/complaints/{north.id}/reply", data={"reply": "", "step": "advance"})
    db.session.refresh(north)
    assert north.state == "in_progress"


def test_too_long_reply_is_kept_with_a_message(client, city, login, pair):
    north, _ = pair
    login(city.admin)
    text = "长" * 2001
    response = client.post(f"/office/complaints/{north.id}/reply", data={"reply": text})
    assert response.status_code == 400
    assert "不能超过 2000 字" in response.get_data(as_text=True) and text in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [("viewer", "assign", 403), ("viewer", "reply", 403), ("inspector", "assign", 403),
     ("other_inspector", "reply", 404)],
)  # fmt: skip
def test_who_may_act(client, city, login, pair, who, action, status):
    north, _ = pair
    login(getattr(city, who))
    data = {"inspector_id": city.inspector.id, "reply": "x", "step": "advance"}
    assert client.post(f"/office/complaints/{north.id}/{action}", data=data).status_code == status
    db.session.refresh(north)
    assert north.state == "open" and north.reply == ""


def test_an_inspector_sees_complaints_assigned_outside_their_area(client, city, login, pair):
    _, south = pair
    login(city.admin)
    client.post(f"/office/complaints/{south.id}/assign", data={"inspector_id": city.inspector.id})
    client.post("/logout")
    login(city.inspector)
    assert "南边的举报" in listing(client)
    response = client.post(
        f"/office/complaints/{south.id}/reply", data={"reply": "已处理", "step": "advance"}
    )
    assert response.status_code == 302
    assert db.session.get(Complaint, south.id).state == "closed"


def test_assigning_to_a_non_inspector_is_refused(client, city, login, pair):
    north, _ = pair
    login(city.admin)
    response = client.post(
        f"/office/complaints/{north.id}/assign",
        data={"inspector_id": city.viewer.id},
        follow_redirects=True,
    )
    assert "请选择一位在岗的检查员" in response.get_data(as_text=True)
    db.session.refresh(north)
    assert north.assigned_to_id is None
