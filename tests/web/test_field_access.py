"""Who may use the flow: outside the jurisdiction 404 everywhere, viewers never submit."""

import pytest

from tests.factories import form_for, payload_for

FLOW_URLS = [
    ("get", "/field/establishments/{est}"),
    ("post", "/field/establishments/{est}/inspect/five_goods"),
    ("get", "/field/inspections/{insp}"),
    ("post", "/field/inspections/{insp}"),
    ("post", "/field/inspections/{insp}/draft"),
    ("get", "/field/inspections/{insp}/review"),
    ("post", "/field/inspections/{insp}/submit"),
    ("get", "/field/inspections/{insp}/sheet"),
    ("get", "/field/inspections/{insp}/signature.png"),
    ("get", "/field/inspections/{insp}/amend"),
    ("post", "/field/inspections/{insp}/amend"),
]


@pytest.fixture
def done(submitted, client):
    """A submitted inspection in the north, then the client signed out."""
    client.post("/logout")
    return submitted


@pytest.mark.parametrize(("method", "url"), FLOW_URLS)
def test_inspector_outside_the_jurisdiction_gets_404(client, login, city, done, method, url):
    login(city.other_inspector)
    target = url.format(est=done.establishment_id, insp=done.id)
    response = getattr(client, method)(target, data=form_for("five_goods"))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "url"), FLOW_URLS[:-4] + FLOW_URLS[-2:])
def test_viewer_cannot_use_the_field_flow(client, login, city, done, method, url):
    login(city.viewer)
    target = url.format(est=done.establishment_id, insp=done.id)
    assert getattr(client, method)(target, data={}).status_code == 403


def test_viewer_reads_the_sheet_but_gets_403_from_the_api(client, login, city, done, shop):
    login(city.viewer)
    assert client.get(f"/field/inspections/{done.id}/sheet").status_code == 200
    assert client.post("/api/v1/inspections", json=payload_for(shop)).status_code == 403


def test_someone_elses_draft_is_not_found(client, login, city, shop, start, make_user_in_north):
    login(city.inspector)
    insp_id = start(shop)
    client.post("/logout")
    login(make_user_in_north)
    assert client.get(f"/field/inspections/{insp_id}").status_code == 404
    assert client.post(f"/field/inspections/{insp_id}/draft", data={}).status_code == 404


@pytest.mark.parametrize("role", ["inspector", "admin"])
def test_inspectors_and_admins_can_inspect(client, login, city, shop, start, role):
    login(city.inspector if role == "inspector" else city.admin)
    insp_id = start(shop)
    assert client.get(f"/field/inspections/{insp_id}").status_code == 200


def test_anonymous_users_are_sent_to_login(client, done):
    response = client.get(f"/field/inspections/{done.id}/signature.png")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def make_user_in_north(city):
    from app.extensions import db
    from tests.factories import make_user

    user = make_user("inspector3", "inspector", [city.north])
    db.session.commit()
    return user
