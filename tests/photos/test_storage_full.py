"""A full photo store: every write to storage answers 507 with a clear message, never a 500.

The `full_disk` fixture (tests/conftest.py) makes every storage write raise ENOSPC.
"""

from __future__ import annotations

import errno
import os
import uuid

import pytest

from app.extensions import db
from app.models import Photo
from app.photos import StorageFull
from app.photos.storage import LocalStorage, put_checked, signature_storage
from tests.factories import PHOTO_ITEM, form_for

from .conftest import saved_answers
from .test_checklist_photos import item_photos, post_form

FULL = "存储空间已满，请联系管理员"
KEY = "0" * 64 + ".jpg"


def fsync_fails(monkeypatch, code: int = errno.ENOSPC) -> None:
    def fail(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)


def test_a_full_disk_is_storage_full_and_leaves_no_partial_file(app, storage, monkeypatch):
    storage.put(KEY, b"old")
    fsync_fails(monkeypatch)
    with pytest.raises(StorageFull) as raised:
        put_checked(storage, KEY, b"new bytes")
    assert raised.value.message == FULL
    assert sorted(p.name for p in storage.path(KEY).parent.iterdir()) == [KEY]
    assert storage.get(KEY) == b"old"


def test_other_disk_errors_stay_what_they_are(app, storage, monkeypatch):
    fsync_fails(monkeypatch, errno.EIO)
    with pytest.raises(OSError) as raised:
        put_checked(storage, KEY, b"x")
    assert raised.value.errno == errno.EIO and not isinstance(raised.value, StorageFull)


def test_signatures_are_written_through_the_storage_put_fsynced(app, monkeypatch):
    from app.inspections import signatures
    from tests.factories import signature_data_url

    synced, real_fsync = [], os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    key = signatures.store(signature_data_url())
    store = signature_storage(app.config)
    assert synced and store.get(key).startswith(b"\x89PNG")
    assert [p.name for p in store.root.iterdir()] == [key]  # no temp file left behind


def test_a_signature_on_a_full_disk_is_storage_full_with_no_temp_file(app, monkeypatch):
    from app.inspections import signatures
    from tests.factories import signature_data_url

    fsync_fails(monkeypatch)
    with pytest.raises(StorageFull):
        signatures.store(signature_data_url())
    assert list(signature_storage(app.config).root.iterdir()) == []


def test_free_bytes_of_the_store_even_before_it_exists(tmp_path):
    assert LocalStorage(tmp_path / "not" / "yet").free_bytes() > 0


# --- the routes ----------------------------------------------------------------------------


@pytest.fixture
def started(client, login, city, shop, start):
    login(city.inspector)
    return start(shop)


def test_an_item_photo_from_photos_js_answers_507_permanent(started, upload, jpeg, full_disk):
    response = upload(f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos", jpeg)
    assert response.status_code == 507
    assert response.get_json() == {"error": FULL, "permanent": True}
    assert item_photos(started) == []


def test_an_item_photo_from_a_plain_form_shows_the_message(started, upload, jpeg, full_disk):
    url = f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos"
    response = upload(url, jpeg, json=False)
    assert response.status_code == 507 and FULL in response.get_data(as_text=True)


@pytest.mark.parametrize("json", [True, False])
def test_a_gallery_photo_answers_507(client, login, city, shop, upload, jpeg, full_disk, json):
    login(city.inspector)
    response = upload(f"/media/establishments/{shop.id}/photos", jpeg, json=json)
    assert response.status_code == 507
    if json:
        assert response.get_json() == {"error": FULL, "permanent": True}
    else:
        assert FULL in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Photo)).all() == []


def test_the_checklist_form_keeps_its_answers_when_the_photo_finds_no_room(
    client, started, jpeg, full_disk
):
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"action": "review"}
    files = {f"photo-{PHOTO_ITEM}": (jpeg, "a.jpg"), "photo-fg.env.02": (jpeg, "b.jpg")}
    response = post_form(client, f"/field/inspections/{started}", data, files)
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert f"a.jpg：{FULL}" in page and f"b.jpg：{FULL}" in page
    assert "草稿已保存" in page and "健康证过期" in page  # the page again, answers shown
    assert (PHOTO_ITEM, "fail", "健康证过期", "deadline") in saved_answers(started)
    assert item_photos(started) == []


# --- resumable uploads ---------------------------------------------------------------------


def create(client, length: int):
    body = {"length": length, "upload": str(uuid.uuid4())}
    return client.post("/media/uploads", json=body, headers={"Accept": "application/json"})


def test_a_chunk_on_a_full_disk_answers_507_and_the_offset_stays(
    client, login, city, jpeg, full_disk
):
    login(city.inspector)
    token = create(client, len(jpeg)).get_json()["upload"]
    response = client.patch(
        f"/media/uploads/{token}",
        data=jpeg,
        headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert response.status_code == 507
    assert response.get_json() == {"error": FULL, "permanent": True}
    assert client.get(f"/media/uploads/{token}").get_json()["offset"] == 0


def test_finishing_on_a_full_disk_answers_507_and_can_finish_later(
    client, login, city, started, jpeg, monkeypatch
):
    token = create(client, len(jpeg)).get_json()["upload"]
    headers = {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
    assert client.patch(f"/media/uploads/{token}", data=jpeg, headers=headers).status_code == 200
    real_put = LocalStorage.put

    def no_room(self, key, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStorage, "put", no_room)
    body = {"inspection_id": started, "item_id": PHOTO_ITEM}
    response = client.post(f"/media/uploads/{token}/finish", json=body)
    assert response.status_code == 507 and response.get_json()["permanent"] is True
    assert item_photos(started) == []
    monkeypatch.setattr(LocalStorage, "put", real_put)  # the admin made room
    response = client.post(f"/media/uploads/{token}/finish", json=body)
    assert response.status_code == 200 and len(item_photos(started)) == 1
