"""POST /api/v1/inspections: the same checks and service as the HTML flow, replay-safe."""

import pytest
from flask_wtf.csrf import generate_csrf

from app import create_app
from app.extensions import db
from app.inspections import submission
from app.models import Answer, Inspection
from tests.factories import payload_for, signature_data_url


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_submit_creates_then_a_replay_returns_the_same(client, login, city, shop):
    login(city.inspector)
    body = payload_for(shop, signature=signature_data_url())
    first = client.post("/api/v1/inspections", json=body)
    assert first.status_code == 201, first.json
    assert first.json["outcome"] == "basic" and first.json["url"].endswith("/sheet")
    created = db.session.get(Inspection, first.json["id"])
    assert created.client_uuid == body["client_uuid"] and created.signature_key
    assert created.five_goods_met is False and len(created.answers) == 22
    before = (count(Inspection), count(Answer))
    again = client.post("/api/v1/inspections", json=body)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert (count(Inspection), count(Answer)) == before


def test_validation_errors_are_422_in_chinese_and_create_nothing(client, login, city, shop):
    login(city.inspector)
    body = payload_for(shop, operator_rep="")
    del body["answers"]["fg.env.01"]
    body["answers"]["nonsense"] = {"result": "pass"}
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "未知检查项：nonsense" in errors
    assert any("未填写检查结果" in e for e in errors) and "【经营者代表】未填写姓名" in errors
    assert count(Inspection) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"client_uuid": "not-a-uuid"},
        {"answers": ["pass"]},
        {"programme": ""},
        {"signature": "data:image/png;base64,AAAA"},
    ],
)
def test_malformed_bodies_are_422(client, login, city, shop, change):
    login(city.inspector)
    response = client.post("/api/v1/inspections", json=payload_for(shop) | change)
    assert response.status_code == 422 and response.json["errors"]


def test_programme_must_apply_to_the_category(client, login, city, shop):
    login(city.inspector)
    response = client.post("/api/v1/inspections", json=payload_for(shop, "market", fail=()))
    assert response.status_code == 422 and "不适用" in response.json["errors"][0]


def test_outside_the_jurisdiction_is_404(client, login, city, shop):
    login(city.other_inspector)
    assert client.post("/api/v1/inspections", json=payload_for(shop)).status_code == 404
    body = payload_for(shop) | {"establishment_id": "x"}
    assert client.post("/api/v1/inspections", json=body).status_code == 404


def test_a_uuid_of_someone_elses_inspection_is_409(client, login, city, shop):
    login(city.inspector)
    body = payload_for(shop)
    assert client.post("/api/v1/inspections", json=body).status_code == 201
    client.post("/logout")
    login(city.admin)
    assert client.post("/api/v1/inspections", json=body).status_code == 409


def test_the_api_submits_the_html_draft_with_the_same_uuid(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    draft = db.session.get(Inspection, insp_id)
    body = payload_for(shop, client_uuid=draft.client_uuid)
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 200 and response.json["id"] == insp_id
    assert count(Inspection) == 1 and draft.status == "submitted"


def test_a_racing_duplicate_rolls_back_and_returns_the_winner(
    client, login, city, shop, monkeypatch
):
    login(city.inspector)
    body = payload_for(shop)
    winner = client.post("/api/v1/inspections", json=body).json["id"]
    real = submission.by_uuid
    calls = []

    def blind_once(client_uuid):  # the other worker's row is not visible yet
        calls.append(client_uuid)
        return None if len(calls) == 1 else real(client_uuid)

    monkeypatch.setattr(submission, "by_uuid", blind_once)
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 200 and response.json["id"] == winner
    assert count(Inspection) == 1


def test_csrf_stays_on_and_the_header_is_accepted(database, tmp_path, monkeypatch):
    from tests.conftest import base_config, fresh_url
    from tests.factories import PASSWORD, make_city, make_establishment

    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path / "instance"))
    config = base_config(fresh_url(database, tmp_path), tmp_path / "instance")
    app = create_app(config | {"WTF_CSRF_ENABLED": True})
    with app.app_context():
        city = make_city()
        shop = make_establishment(city)
        client = app.test_client()
        with client:
            client.get("/login")
            token = generate_csrf()
            login = {"username": "inspector", "password": PASSWORD, "csrf_token": token}
            client.post("/login", data=login)
            body = payload_for(shop)
            assert client.post("/api/v1/inspections", json=body).status_code == 400
            headers = {"X-CSRFToken": generate_csrf()}
            response = client.post("/api/v1/inspections", json=body, headers=headers)
            assert response.status_code == 201, response.json
        db.session.remove()
        db.engine.dispose()
