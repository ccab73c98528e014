"""Proof of presence: fixes at start and submit, checked, stored, shown beside the registry."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.inspections import presence
from app.models import Inspection
from app.models.types import utcnow
from tests.factories import PEOPLE, form_for, payload_for

HOME = (34.7473, 111.8616)  # the shop's registered location (义马)
NEAR = (34.7480, 111.8620)  # about 90 m away
FAR = (34.7600, 111.8616)  # about 1.4 km away


def at(minutes_ago: int = 1) -> str:
    return (utcnow() - timedelta(minutes=minutes_ago)).isoformat().replace("+00:00", "Z")


def fix(point, accuracy=20, when=None) -> dict:
    return {"lat": point[0], "lng": point[1], "accuracy": accuracy, "at": when or at()}


def test_a_good_fix_is_kept_and_normalised():
    got = presence.parse_fix(fix(NEAR, accuracy="12.5", when="2026-01-02T03:04:05+08:00"),
                             now=datetime(2026, 1, 3, tzinfo=UTC))  # fmt: skip
    assert got == {"status": "ok", "lat": NEAR[0], "lng": NEAR[1], "accuracy": 12.5,
                   "at": "2026-01-01T19:04:05Z"}  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {"lat": 91},
        {"lng": -180.5},
        {"lat": "north"},
        {"lat": True},
        {"lng": float("nan")},
        {"at": "yesterday"},
        {"at": (utcnow() + timedelta(hours=2)).isoformat()},
        {"at": (utcnow() - timedelta(days=400)).isoformat()},
        {"status": "spoofed"},
    ],
)
def test_bad_fixes_are_dropped(change):
    assert presence.parse_fix(fix(NEAR) | change) is None


def test_a_negative_accuracy_is_dropped_but_the_position_kept():
    assert presence.parse_fix(fix(NEAR, accuracy=-3))["accuracy"] is None


def test_denied_and_unavailable_are_recorded_as_such():
    assert presence.parse_fix({"status": "denied", "at": at()})["status"] == "denied"
    assert presence.parse_fix({"status": "unavailable"})["status"] == "unavailable"
    assert presence.parse_fix("nonsense") is None and presence.parse_fix(None) is None


def test_distance_is_haversine():
    assert round(presence.distance_m(*HOME, *FAR)) == pytest.approx(1412, abs=2)
    assert presence.distance_m(*HOME, *HOME) == 0


def located_shop(make_establishment):
    return make_establishment(name="定位便民店", latitude=HOME[0], longitude=HOME[1])


def test_the_page_flow_stores_start_and_submit(client, login, city, make_establishment, start):
    shop = located_shop(make_establishment)
    login(city.inspector)
    posted = {f"presence.start.{k}": v for k, v in fix(NEAR).items()}
    response = client.post(f"/field/establishments/{shop.id}/inspect/five_goods", data=posted)
    insp_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods") | PEOPLE)
    inspection = db.session.get(Inspection, insp_id)
    body = {"client_uuid": inspection.client_uuid, "presence.submit.status": "denied"}
    body["presence.submit.at"] = at(0)
    response = client.post(f"/field/inspections/{insp_id}/submit", data=body)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    inspection = db.session.get(Inspection, insp_id)
    stored = presence.fixes(inspection)
    assert stored["start"]["lat"] == NEAR[0] and stored["submit"]["status"] == "denied"
    assert (inspection.latitude, inspection.longitude) == NEAR
    checks = {c.moment: c for c in presence.checks(inspection)}
    assert not checks["start"].far and checks["start"].distance_m < 100
    assert checks["submit"].distance_m is None


def test_without_presence_the_submit_goes_through(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods") | PEOPLE)
    uuid = db.session.get(Inspection, insp_id).client_uuid
    bad = {"presence.submit.lat": "999", "presence.submit.lng": "x", "presence.submit.at": "?"}
    response = client.post(f"/field/inspections/{insp_id}/submit", data={"client_uuid": uuid} | bad)
    assert response.status_code == 302
    db.session.expire_all()
    inspection = db.session.get(Inspection, insp_id)
    assert inspection.status == "submitted" and presence.fixes(inspection) == {}
    assert inspection.latitude is None


def test_the_api_stores_presence_and_drops_bad_values(client, login, city, make_establishment):
    shop = located_shop(make_establishment)
    login(city.inspector)
    body = payload_for(shop, presence={"start": fix(FAR, accuracy=900), "submit": fix(FAR)})
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.json
    inspection = db.session.get(Inspection, response.json["id"])
    checks = {c.moment: c for c in presence.checks(inspection)}
    assert checks["submit"].far and checks["start"].vague
    assert inspection.latitude == FAR[0]
    other = payload_for(shop, presence={"start": {"lat": 200, "lng": 1, "at": at()}, "submit": 7})
    response = client.post("/api/v1/inspections", json=other)
    assert response.status_code == 201, response.json
    assert presence.fixes(db.session.get(Inspection, response.json["id"])) == {}


def test_a_presence_that_is_not_an_object_is_refused_in_chinese(client, login, city, shop):
    login(city.inspector)
    response = client.post("/api/v1/inspections", json=payload_for(shop, presence=[1, 2]))
    assert response.status_code == 422 and "presence 须为对象" in response.json["errors"]


def test_the_office_sees_the_fixes_beside_the_registered_location(
    client, login, city, make_establishment
):
    shop = located_shop(make_establishment)
    login(city.inspector)
    body = payload_for(shop, presence={"start": {"status": "denied", "at": at(20)},
                                       "submit": fix(FAR)})  # fmt: skip
    insp_id = client.post("/api/v1/inspections", json=body).json["id"]
    client.post("/logout")
    login(city.admin)
    page = client.get(f"/office/inspections/{insp_id}").get_data(as_text=True)
    assert "到场定位" in page and "34.74730, 111.86160" in page
    assert "距登记位置 1412 米" in page and 'data-presence-flag="far"' in page
    assert "检查人员未允许定位" in page
    # The fixes are bookkeeping, not checklist fields: they are not listed as such.
    assert "_presence" not in page


def test_an_amendment_keeps_the_visits_fixes(client, login, city, make_establishment):
    shop = located_shop(make_establishment)
    login(city.inspector)
    body = payload_for(shop, presence={"submit": fix(NEAR)})
    insp_id = client.post("/api/v1/inspections", json=body).json["id"]
    form = form_for("five_goods", fail=()) | PEOPLE | {"reason": "补记"}
    response = client.post(f"/field/inspections/{insp_id}/amend", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    new = db.session.scalar(db.select(Inspection).where(Inspection.amends_id == insp_id))
    assert presence.fixes(new)["submit"]["lat"] == NEAR[0]
