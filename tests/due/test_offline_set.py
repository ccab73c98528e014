"""GET /api/v1/field/offline-set: the inspector's areas only, everything a scan and a checklist need."""

import gzip
import json

from app.extensions import db
from app.models import ChecklistVersion, LedgerEntry


def test_only_the_inspectors_areas(client, login, city, make_establishment):
    mine = make_establishment(name="本辖区店")
    theirs = make_establishment(name="外辖区店", jurisdiction_id=city.south_c.id)
    login(city.inspector)
    data = client.get("/api/v1/field/offline-set").json
    ids = {e["id"] for e in data["establishments"]}
    assert mine.id in ids and theirs.id not in ids
    assert {d["id"] for d in data["due"]} <= ids
    est = next(e for e in data["establishments"] if e["id"] == mine.id)
    assert est["short_code"] == mine.short_code and est["token"] == mine.qr_token
    assert data["user"]["id"] == city.inspector.id


def test_checklists_in_force_are_stored_versions(client, login, city, shop):
    login(city.inspector)
    programmes = client.get("/api/v1/field/offline-set").json["programmes"]
    assert set(programmes) == {"five_goods"}  # only a rural shop in the area
    five = programmes["five_goods"]
    assert len([i for s in five["sections"] for i in s["items"]]) == 22
    stored = db.session.scalar(db.select(ChecklistVersion).filter_by(programme="five_goods"))
    assert stored.version == five["version"]


def test_open_entries_and_last_result(client, city, submitted):
    data = client.get("/api/v1/field/offline-set").json
    est = next(e for e in data["establishments"] if e["id"] == submitted.establishment_id)
    entry = db.session.scalar(db.select(LedgerEntry))
    assert est["entries"] == [
        {
            "id": entry.id,
            "item": entry.item_text,
            "due": entry.due_date.isoformat(),
            "state": "open",
        }
    ]
    assert est["last"]["outcome"] == submitted.outcome


def test_closed_establishments_are_left_out(client, login, city, make_establishment):
    closed = make_establishment(active=False)
    login(city.inspector)
    data = client.get("/api/v1/field/offline-set").json
    assert closed.id not in {e["id"] for e in data["establishments"]}


def test_size_for_two_hundred_establishments(client, login, city, make_establishment):
    for n in range(200):
        make_establishment(name=f"村级便民店{n:03d}", address=f"石河村{n}组")
    login(city.inspector)
    body = client.get("/api/v1/field/offline-set").get_data()
    assert len(json.loads(body)["establishments"]) == 200
    assert len(gzip.compress(body)) < 200 * 1024 * 2 / 5  # bench/offline.py measures 500


def test_viewers_and_signed_out_get_nothing(client, login, city):
    assert client.get("/api/v1/field/offline-set").status_code in (302, 401)
    login(city.viewer)
    assert client.get("/api/v1/field/offline-set").status_code == 403


def test_session_gives_a_csrf_token(client, login, city):
    login(city.inspector)
    data = client.get("/api/v1/field/session").json
    assert data["user_id"] == city.inspector.id and data["csrf_token"]
