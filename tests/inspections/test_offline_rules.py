"""An offline inspection meets a changed world at submit: each rule accepts and says so."""

import uuid
from datetime import timedelta

import pytest

from app.extensions import db
from app.inspections import ledger
from app.models import Inspection, LedgerEntry, Photo
from app.models.types import utcnow
from app.registry.establishments import close_establishment, update_establishment
from tests.factories import FAIL_ITEM, PHOTO_ITEM, answers_for, payload_for


def offline_version(client, code="five_goods") -> str:
    """The version the phone kept in its offline set."""
    return client.get("/api/v1/field/offline-set").json["programmes"][code]["version"]


def test_a_version_published_while_offline_keeps_the_drafts(app, client, login, city, shop):
    login(city.inspector)
    kept = offline_version(client)
    app.config["FANGXIN_MAX_GENERAL_FAILURES"] = 3  # a new version is in force now
    assert offline_version(client) != kept
    body = payload_for(shop, checklist_version=kept)
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.json
    inspection = db.session.get(Inspection, response.json["id"])
    assert inspection.checklist_version.version == kept
    assert any("按开始检查时的版本" in n for n in response.json["notices"])
    again = client.post("/api/v1/inspections", json=body)
    assert again.status_code == 200 and again.json["id"] == inspection.id


def test_the_version_in_force_says_nothing(client, login, city, shop):
    login(city.inspector)
    body = payload_for(shop, checklist_version=offline_version(client))
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201 and response.json["notices"] == []


def test_an_unknown_version_falls_back_to_the_one_in_force(client, login, city, shop):
    login(city.inspector)
    response = client.post(
        "/api/v1/inspections", json=payload_for(shop, checklist_version="0" * 12)
    )
    assert response.status_code == 201 and response.json["notices"] == []


def test_a_closed_establishment_keeps_the_inspection_and_says_so(client, login, city, shop):
    login(city.inspector)
    close_establishment(city.admin, shop, "停业")
    db.session.commit()
    response = client.post("/api/v1/inspections", json=payload_for(shop))
    assert response.status_code == 201
    assert any("已于" in n and "注销" in n for n in response.json["notices"])


def test_transferred_after_the_draft_began_is_kept(client, login, city, shop):
    login(city.inspector)
    began = (utcnow() - timedelta(hours=2)).isoformat()
    update_establishment(city.admin, shop, jurisdiction_id=city.south_c.id)
    db.session.commit()
    response = client.post("/api/v1/inspections", json=payload_for(shop, started_at=began))
    assert response.status_code == 201, response.json
    assert any("划出您的辖区" in n and "东区社区" in n for n in response.json["notices"])


def test_transferred_before_the_draft_began_is_404(client, login, city, shop):
    login(city.inspector)
    update_establishment(city.admin, shop, jurisdiction_id=city.south_c.id)
    db.session.commit()
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    for extra in ({}, {"started_at": later}, {"started_at": "yesterday"}):
        response = client.post("/api/v1/inspections", json=payload_for(shop, **extra))
        assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0


def test_never_in_the_area_stays_404_whatever_started_at_says(
    client, login, city, make_establishment
):
    south = make_establishment(jurisdiction_id=city.south_c.id)
    login(city.inspector)
    began = (utcnow() - timedelta(hours=2)).isoformat()
    response = client.post("/api/v1/inspections", json=payload_for(south, started_at=began))
    assert response.status_code == 404


def test_an_entry_verified_by_someone_else_is_left_as_they_closed_it(
    client, login, city, submitted
):
    entry = db.session.scalar(db.select(LedgerEntry))
    ledger.verify(city.admin, entry, None, "现场复查")
    db.session.commit()
    body = payload_for(submitted.establishment, fail=(), verify_actions=[entry.id])
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.json
    db.session.refresh(entry)
    assert entry.verified_by_id == city.admin.id and entry.verifying_inspection_id is None
    assert any("未重复销号" in n for n in response.json["notices"])


def test_an_open_entry_is_verified_without_a_notice(client, login, city, submitted):
    entry = db.session.scalar(db.select(LedgerEntry))
    body = payload_for(submitted.establishment, fail=(), verify_actions=[entry.id])
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201 and response.json["notices"] == []
    db.session.refresh(entry)
    assert entry.state == "verified" and entry.verifying_inspection_id == response.json["id"]


def test_presence_and_photos_must_have_their_shape(client, login, city, shop):
    login(city.inspector)
    for change in ({"presence": "here"}, {"photos": {"a": 1}}, {"photos": [{"item_id": 1}]}):
        response = client.post("/api/v1/inspections", json=payload_for(shop, **change))
        assert response.status_code == 422, change


def finished_upload(client, data: bytes) -> str:
    """A photo sent as a resumable upload and finished, not attached yet (the offline order)."""
    token = str(uuid.uuid4())
    made = client.post("/media/uploads", json={"upload": token, "length": len(data)})
    assert made.status_code == 201, made.json
    sent = client.patch(
        f"/media/uploads/{token}",
        data=data,
        headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert sent.status_code == 200, sent.json
    assert client.post(f"/media/uploads/{token}/finish", json={}).status_code == 200
    return token


def test_photos_from_uploads_are_attached_once_at_submit(client, login, city, shop, jpeg):
    login(city.inspector)
    token = finished_upload(client, jpeg)
    answers = answers_for("five_goods", fail=(FAIL_ITEM, PHOTO_ITEM))
    answers[PHOTO_ITEM]["handling"] = "on_spot"
    photos = [{"item_id": PHOTO_ITEM, "upload": token}]
    body = payload_for(shop, answers=answers, photos=photos)
    first = client.post("/api/v1/inspections", json=body)
    assert first.status_code == 201, first.json
    for _ in range(2):
        assert client.post("/api/v1/inspections", json=body).status_code == 200
    rows = db.session.scalars(db.select(Photo)).all()
    assert [(p.inspection_id, p.item_id) for p in rows] == [(first.json["id"], PHOTO_ITEM)]


def test_a_photo_item_without_its_upload_is_refused(client, login, city, shop):
    login(city.inspector)
    answers = answers_for("five_goods", fail=(FAIL_ITEM, PHOTO_ITEM))
    answers[PHOTO_ITEM]["handling"] = "on_spot"
    response = client.post("/api/v1/inspections", json=payload_for(shop, answers=answers))
    assert response.status_code == 422 and any("拍照" in e for e in response.json["errors"])


@pytest.mark.parametrize("whose", ["unknown", "someone else"])
def test_an_upload_not_the_inspectors_is_refused(client, login, city, shop, jpeg, whose):
    token = str(uuid.uuid4())
    if whose == "someone else":
        login(city.admin)
        token = finished_upload(client, jpeg)
        client.post("/logout")
    login(city.inspector)
    photos = [{"item_id": FAIL_ITEM, "upload": token}]
    response = client.post("/api/v1/inspections", json=payload_for(shop, photos=photos))
    assert response.status_code == 422 and response.json["errors"]
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0
    photos = [{"item_id": "no.such.item", "upload": token}]
    response = client.post("/api/v1/inspections", json=payload_for(shop, photos=photos))
    assert response.status_code == 422
