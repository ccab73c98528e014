"""The app with FANGXIN_STORAGE = "s3": photos, thumbnails and signatures go to the object
store and are served from it (streamed), nothing lands in the local upload folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Inspection, Photo
from app.photos.storage import full_key, storage_from_config, thumb_key
from tests.factories import PHOTO_ITEM, payload_for, signature_data_url
from tests.photos.s3_server import object_names


@pytest.fixture
def s3_app(app, s3_config):
    """The test app switched to the S3 store (the setting is read per request)."""
    app.config.update(s3_config)
    return app


def local_files(app) -> list[Path]:
    root = Path(app.config["FANGXIN_UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_checklist_photo_and_its_thumbnail_are_served_from_s3(
    s3_app, s3_config, client, login, city, shop, start, upload, jpeg
):
    login(city.inspector)
    insp_id = start(shop)
    answer = upload(f"/media/inspections/{insp_id}/items/{PHOTO_ITEM}/photos", jpeg)
    assert answer.status_code == 201, answer.get_json()
    photo = db.session.get(Photo, answer.get_json()["id"])
    sha = photo.sha256
    assert object_names(s3_config) == [f"{sha[:2]}/{sha}.jpg", f"{sha[:2]}/{sha}.thumb.jpg"]
    assert local_files(s3_app) == []

    store = storage_from_config(s3_app.config)
    for url, key in (
        (answer.get_json()["url"], full_key(sha)),
        (answer.get_json()["thumb_url"], thumb_key(sha)),
    ):
        served = client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.is_streamed  # read from the store as it is sent, not loaded whole
        body = served.get_data()
        assert body == store.get(key) and body[:2] == b"\xff\xd8"
        assert served.headers["ETag"].strip('"') == sha
    assert hashlib.sha256(client.get(answer.get_json()["url"]).get_data()).hexdigest() == sha


def test_a_photo_missing_from_s3_is_a_404(s3_app, client, login, city, shop, start, upload, jpeg):
    login(city.inspector)
    insp_id = start(shop)
    answer = upload(f"/media/inspections/{insp_id}/items/{PHOTO_ITEM}/photos", jpeg)
    photo = db.session.get(Photo, answer.get_json()["id"])
    storage_from_config(s3_app.config).delete(thumb_key(photo.sha256))
    assert client.get(answer.get_json()["thumb_url"]).status_code == 404
    assert client.get(answer.get_json()["url"]).status_code == 200


def test_an_api_submit_stores_its_signature_in_s3(s3_app, s3_config, client, login, city, shop):
    login(city.inspector)
    sent = client.post(
        "/api/v1/inspections", json=payload_for(shop, signature=signature_data_url())
    )
    assert sent.status_code == 201, sent.get_json()
    key = db.session.get(Inspection, sent.get_json()["id"]).signature_key
    assert object_names(s3_config) == [f"signatures/{key}"]
    assert local_files(s3_app) == []
    served = client.get(f"/field/inspections/{sent.get_json()['id']}/signature.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert hashlib.sha256(served.get_data()).hexdigest() + ".png" == key


def test_a_full_bucket_answers_507_and_stores_nothing(
    s3_app, s3_config, client, login, city, shop, start, upload, jpeg, monkeypatch
):
    from botocore.exceptions import ClientError

    from app.photos import s3

    def full(**kwargs):
        error = {"Code": "XMinioStorageFull", "Message": "Storage backend has reached its limit"}
        raise ClientError(
            {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 507}}, "PutObject"
        )

    login(city.inspector)
    insp_id = start(shop)
    monkeypatch.setattr(s3.client_for(s3_config), "put_object", full)
    answer = upload(f"/media/inspections/{insp_id}/items/{PHOTO_ITEM}/photos", jpeg)
    assert answer.status_code == 507
    assert answer.get_json()["error"] == "存储空间已满，请联系管理员"
    assert db.session.scalar(db.select(db.func.count()).select_from(Photo)) == 0
    assert object_names(s3_config) == []
