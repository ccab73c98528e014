"""Resumable uploads across app servers: chunks live in the shared store, ranges in the
database, so a phone whose requests land on different servers still makes one photo."""

from __future__ import annotations

import hashlib

import pytest

from app import create_app
from app.extensions import db
from app.models import Upload, UploadPart
from app.photos import uploads
from app.photos.storage import (
    PART_KEY_RE,
    StorageKeyError,
    full_key,
    part_storage,
    storage_from_config,
    thumb_key,
)
from tests import factories
from tests.conftest import RequestClient, base_config
from tests.photos.files import encode, photo_like
from tests.photos.s3_server import object_names

CHUNK = 256 * 1024


@pytest.fixture(params=["local", "s3"])
def shared(request, app, tmp_path) -> dict:
    """What two app servers share: the database, and the photo store.

    The local case is one upload folder both mount (e.g. NFS); in the S3 case each server
    has an upload folder of its own, so nothing can pass through a server's disk.
    """
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    if request.param == "s3":
        settings |= request.getfixturevalue("s3_config")
    else:
        settings["FANGXIN_UPLOAD_DIR"] = str(tmp_path / "shared-uploads")
    return settings


def server(tmp_path, name: str, shared: dict):
    """Another create_app over the shared database and store, with its own instance folder."""
    instance = tmp_path / name
    config = base_config(shared["SQLALCHEMY_DATABASE_URI"], instance) | shared
    if "FANGXIN_S3_BUCKET" in shared:
        config["FANGXIN_UPLOAD_DIR"] = str(instance / "uploads")
    made = create_app(config)
    made.test_client_class = RequestClient
    return made


def patch(client, token: str, offset: int, chunk: bytes):
    return client.patch(
        f"/media/uploads/{token}",
        data=chunk,
        headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
    )


def test_two_app_servers_continue_one_upload(app, city, tmp_path, shared):
    data = encode(photo_like((1600, 1200)), "JPEG", quality=97)
    assert len(data) > 2 * CHUNK
    first, second = server(tmp_path, "a", shared), server(tmp_path, "b", shared)
    phone_a, phone_b = first.test_client(), second.test_client()
    form = {"username": city.inspector.username, "password": factories.PASSWORD}
    assert phone_a.post("/login", data=form).status_code == 302
    # The same phone: its cookie (one sign-in row in the shared database) goes to either.
    phone_b.set_cookie("session", phone_a.get_cookie("session").value)

    made = phone_a.post("/media/uploads", json={"length": len(data), "filename": "a.jpg"})
    token = made.get_json()["upload"]
    assert patch(phone_a, token, 0, data[:CHUNK]).get_json()["offset"] == CHUNK
    # The link drops; the resume lands on the other server, which knows the offset.
    assert phone_b.get(f"/media/uploads/{token}").get_json()["offset"] == CHUNK
    for offset in range(CHUNK, len(data), CHUNK):
        sender = phone_b if offset // CHUNK % 2 else phone_a  # back and forth
        response = patch(sender, token, offset, data[offset : offset + CHUNK])
        assert response.get_json()["offset"] == min(offset + CHUNK, len(data))
    assert patch(phone_a, token, CHUNK, data[CHUNK : 2 * CHUNK]).get_json()["offset"] == len(
        data
    )  # a late resend to the first server writes nothing
    done = phone_a.post(f"/media/uploads/{token}/finish", json={})
    assert done.status_code == 200 and done.get_json()["finished"], done.get_json()

    db.session.expire_all()
    upload = db.session.scalar(db.select(Upload).where(Upload.token == token))
    store = storage_from_config(shared)
    assert store.exists(full_key(upload.sha256)) and store.exists(thumb_key(upload.sha256))
    assert db.session.scalar(db.select(db.func.count(UploadPart.id))) == 0
    if "FANGXIN_S3_BUCKET" in shared:
        names = object_names(shared)
        assert not [n for n in names if n.startswith("partial/")]  # chunks cleaned up
        for name in "ab":  # and nothing was ever written on either server's disk
            assert not (tmp_path / name / "uploads").exists()
    for made_app in (first, second):
        with made_app.app_context():
            db.engine.dispose()


def test_the_part_store_keeps_chunks_by_range_under_partial(app, tmp_path, shared):
    store = part_storage(shared)
    token = "0" * 32
    key = f"{token}.0-5.part"
    assert PART_KEY_RE.fullmatch(key)
    store.put(key, b"hello")
    assert store.exists(key) and store.get(key) == b"hello"
    with store.open(key) as fh:
        assert fh.read() == b"hello"
    if "FANGXIN_S3_BUCKET" in shared:
        assert object_names(shared) == [f"partial/{key}"]
    else:
        assert (tmp_path / "shared-uploads" / "partial" / key).read_bytes() == b"hello"
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)
    for bad in ("../x.0-5.part", f"{token}.0-5.jpg", f"{hashlib.sha256(b'').hexdigest()}.jpg"):
        with pytest.raises(StorageKeyError):
            store.put(bad, b"x")


def test_a_racing_loser_removes_its_own_chunk_object(app, city, tmp_path, shared):
    """Two requests for one offset: the compare-and-set picks one; the other's object goes."""
    config = dict(app.config) | shared
    upload = uploads.create(city.inspector, 3 * CHUNK, config=config)
    store = part_storage(config)
    start = encode(photo_like((10, 10)), "JPEG")
    store.put(uploads.part_key(upload, 0, 10), start[:10])
    assert uploads.claim(upload, 0, 10, store, uploads.part_key(upload, 0, 10)) == 10
    loser = uploads.part_key(upload, 0, 20)
    store.put(loser, start[:20])
    assert uploads.claim(upload, 0, 20, store, loser) == 10
    assert not store.exists(loser) and store.exists(uploads.part_key(upload, 0, 10))
    db.session.rollback()
