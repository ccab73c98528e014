"""POST /api/v1/attempts: a visit that could not inspect, sent by the outbox after no signal."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, VisitAttempt
from app.models.types import utcnow


def body(est, **change) -> dict:
    """An offline 未能检查 record as the outbox sends it."""
    return {
        "client_uuid": str(uuid.uuid4()),
        "establishment_id": est.id,
        "reason": "closed",
        "note": "卷帘门关闭，电话无人接听",
        "inspection_type": "routine",
        "attempted_at": (utcnow() - timedelta(hours=3)).isoformat(),
    } | change


def count(model=VisitAttempt) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_recorded_at_the_phones_time_and_a_replay_records_nothing_twice(client, login, city, shop):
    login(city.inspector)
    sent = body(shop)
    first = client.post("/api/v1/attempts", json=sent)
    assert first.status_code == 201, first.json
    attempt = db.session.get(VisitAttempt, first.json["id"])
    assert attempt.reason == "closed" and attempt.note.startswith("卷帘门")
    phone = datetime.fromisoformat(sent["attempted_at"])
    assert abs(attempt.attempted_at.astimezone(UTC) - phone) < timedelta(seconds=1)
    again = client.post("/api/v1/attempts", json=sent)
    assert again.status_code == 200 and again.json["id"] == attempt.id
    assert count() == 1
    audits = db.select(db.func.count(AuditEvent.id)).where(AuditEvent.entity == "visit_attempt")
    assert db.session.scalar(audits) == 1


@pytest.mark.parametrize(
    "when",
    [(utcnow() + timedelta(days=1)).isoformat(), "2001-01-01T00:00:00+00:00", "yesterday", None],
)
def test_an_implausible_phone_time_is_stamped_now(client, login, city, shop, when):
    login(city.inspector)
    response = client.post("/api/v1/attempts", json=body(shop, attempted_at=when))
    assert response.status_code == 201
    attempt = db.session.get(VisitAttempt, response.json["id"])
    assert utcnow() - attempt.attempted_at.astimezone(UTC) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "bored"}, "请选择未能检查的原因"),
        ({"inspection_type": "holiday"}, "【检查类型】无效"),
        ({"note": "长" * 1001}, "情况说明不超过 1000 字"),
        ({"client_uuid": "not-a-uuid"}, "client_uuid"),
        ({"note": ["a list"]}, "note 须为文本"),
    ],
)
def test_bad_records_are_422_in_chinese_and_record_nothing(
    client, login, city, shop, change, message
):
    login(city.inspector)
    response = client.post("/api/v1/attempts", json=body(shop, **change))
    assert response.status_code == 422
    assert any(message in e for e in response.json["errors"]), response.json
    assert count() == 0


def test_not_json_is_422(client, login, city):
    login(city.inspector)
    response = client.post("/api/v1/attempts", data="reason=closed")
    assert response.status_code == 422 and response.json["errors"] == ["请求内容须为 JSON 对象"]


def test_another_area_and_unknown_units_are_404(client, login, city, make_establishment):
    elsewhere = make_establishment(jurisdiction=city.south)
    login(city.inspector)
    assert client.post("/api/v1/attempts", json=body(elsewhere)).status_code == 404
    unknown = body(elsewhere, establishment_id=2**63)
    assert client.post("/api/v1/attempts", json=unknown).status_code == 404
    assert count() == 0


def test_another_inspectors_uuid_is_a_conflict(client, login, city, shop):
    login(city.inspector)
    sent = body(shop)
    assert client.post("/api/v1/attempts", json=sent).status_code == 201
    client.post("/logout")
    city.other_inspector.jurisdictions.append(shop.jurisdiction)
    db.session.commit()
    login(city.other_inspector)
    response = client.post("/api/v1/attempts", json=sent)
    assert response.status_code == 409 and count() == 1


@pytest.mark.parametrize("role", ["viewer", None])
def test_only_field_staff_record(client, login, city, shop, role):
    if role:
        login(getattr(city, role))
    response = client.post("/api/v1/attempts", json=body(shop))
    assert response.status_code in (401, 403, 302) and count() == 0
