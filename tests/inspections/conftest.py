"""Fixtures for the inspection flow: filled checklist forms, payloads and a signature PNG."""

import base64
import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw

from app.checklists import get_programme
from app.core.clock import local_today

FAIL_ITEM = "fg.lic.03"  # a general item without a photo requirement


def due_in(days: int = 7) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


def form_for(code: str, fail=(FAIL_ITEM,), handling="deadline", skip=(), extra=None) -> dict:
    """A complete checklist form: every item passes except `fail`, `skip` left unanswered."""
    data = {}
    for item in get_programme(code).items:
        if item.id in skip:
            continue
        data[f"r.{item.id}"] = "fail" if item.id in fail else "pass"
        data[f"n.{item.id}"] = "健康证过期" if item.id in fail else ""
        if item.id in fail:
            data[f"h.{item.id}"] = handling
            data[f"d.{item.id}"] = due_in()
    data.update(second_inspector="李四", operator_rep="王五")
    data.update(extra or {})
    return data


def payload_for(est, code="five_goods", fail=(FAIL_ITEM,), **over) -> dict:
    """A JSON submit body equivalent to form_for."""
    answers = {}
    for item in get_programme(code).items:
        answer = {"result": "fail" if item.id in fail else "pass", "note": ""}
        if item.id in fail:
            answer |= {"handling": "deadline", "due_date": due_in()}
        answers[item.id] = answer
    body = {
        "client_uuid": str(uuid.uuid4()),
        "establishment_id": est.id,
        "programme": code,
        "answers": answers,
        "fields": {},
        "second_inspector": "李四",
        "operator_rep": "王五",
    }
    body.update(over)
    return body


def signature_data_url() -> str:
    """A small real PNG as a data URL, like the canvas produces."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (150, 20), (290, 70)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def shop(make_establishment):
    """A rural shop in the inspector's area (five goods applies)."""
    return make_establishment(name="石河村便民店")


@pytest.fixture
def start(client):
    """Start (or resume) a draft through the establishment page's button; returns its id."""

    def go(est, code="five_goods"):
        response = client.post(f"/field/establishments/{est.id}/inspect/{code}")
        assert response.status_code == 302, response.status_code
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    return go


@pytest.fixture
def submitted(client, login, city, shop, start):
    """A five-goods inspection submitted by the inspector through the HTML flow."""
    from app.extensions import db
    from app.models import Inspection

    login(city.inspector)
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods"))
    inspection = db.session.get(Inspection, insp_id)
    response = client.post(
        f"/field/inspections/{insp_id}/submit", data={"client_uuid": inspection.client_uuid}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.get(Inspection, insp_id)


@pytest.fixture
def several(client, login, city, make_establishment):
    """Three submitted inspections: north shop basic, north shop compliant, south shop."""
    north = make_establishment(name="北店")
    south = make_establishment(name="南店", jurisdiction_id=city.south_c.id)
    login(city.inspector)
    client.post("/api/v1/inspections", json=payload_for(north))
    client.post("/api/v1/inspections", json=payload_for(north, fail=()))
    client.post("/logout")
    login(city.other_inspector)
    client.post("/api/v1/inspections", json=payload_for(south, fail=()))
    client.post("/logout")
    login(city.viewer)
    return north, south
