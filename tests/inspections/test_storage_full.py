"""A full photo store while saving or submitting an inspection: the answers are never lost.

The autosave and the checklist form save the answers and say the signature was not
kept (507); the one-request submit (JSON API, offline outbox) answers 507 and creates
nothing, so the phone keeps it and a later replay submits it whole.
"""

from __future__ import annotations

import errno
import uuid

import pytest

from app.extensions import db
from app.models import Inspection, Photo
from app.photos.storage import LocalStorage
from tests.factories import FAIL_ITEM, PHOTO_ITEM, form_for, payload_for, signature_data_url

FULL = "存储空间已满，请联系管理员"


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def results(insp_id: int) -> dict[str, str]:
    db.session.expire_all()
    return {a.item_id: a.result for a in db.session.get(Inspection, insp_id).answers}


@pytest.fixture
def started(client, login, city, shop, start):
    login(city.inspector)
    return start(shop)


def test_an_autosave_with_a_signature_keeps_the_answers(client, started, full_disk):
    data = form_for("five_goods", extra={"signature": signature_data_url()})
    response = client.post(
        f"/field/inspections/{started}/draft", data=data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 507
    body = response.get_json()
    assert body["error"] == FULL and body["permanent"] is True and body["saved"] is True
    assert body["warnings"] == [f"签名未能保存：{FULL}。检查内容已保存。"]
    assert results(started)[FAIL_ITEM] == "fail" and len(results(started)) == 22
    assert db.session.get(Inspection, started).signature_key is None


def test_the_checklist_form_with_a_signature_keeps_the_answers(client, started, full_disk):
    data = form_for("five_goods", extra={"signature": signature_data_url(), "action": "review"})
    response = client.post(f"/field/inspections/{started}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 507 and FULL in page and "草稿已保存" in page
    assert results(started)[FAIL_ITEM] == "fail"
    assert db.session.get(Inspection, started).signature_key is None


def test_the_one_request_submit_answers_507_and_a_replay_submits_it(
    client, login, city, shop, monkeypatch
):
    login(city.inspector)
    body = payload_for(shop, signature=signature_data_url())
    with monkeypatch.context() as patched:
        patched.setattr(LocalStorage, "put", full_put)
        response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 507
    assert response.get_json() == {"error": FULL, "permanent": True}
    assert count(Inspection) == 0
    again = client.post("/api/v1/inspections", json=body)  # the admin made room
    assert again.status_code == 201 and again.get_json()["client_uuid"] == body["client_uuid"]


def full_put(self, key, data):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_the_one_request_submit_finishing_an_upload_answers_507(
    client, login, city, shop, jpeg, request
):
    login(city.inspector)
    token = str(uuid.uuid4())
    client.post("/media/uploads", json={"length": len(jpeg), "upload": token})
    headers = {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
    assert client.patch(f"/media/uploads/{token}", data=jpeg, headers=headers).status_code == 200
    request.getfixturevalue("full_disk")  # received whole, not yet finished: then the disk fills
    body = payload_for(shop, fail=(PHOTO_ITEM,), photos=[{"item_id": PHOTO_ITEM, "upload": token}])
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 507 and response.get_json()["error"] == FULL
    assert count(Inspection) == 0 and count(Photo) == 0
