"""The Storage contract, run against every store: the local tree and the S3 object store.

The S3 case talks to a real S3-protocol server (moto's server mode; see s3_server.py).
"""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from app.photos.storage import (
    Storage,
    StorageKeyError,
    full_key,
    signature_storage,
    storage_from_config,
    store_photo,
    thumb_key,
)
from tests.photos.s3_server import object_names

SHA = hashlib.sha256(b"fangxin").hexdigest()
OTHER = hashlib.sha256(b"other").hexdigest()
BAD_KEYS = [
    "../../etc/passwd",
    "photo.jpg",
    SHA.upper() + ".jpg",
    SHA[:63] + ".jpg",
    SHA + ".png",
    SHA + ".jpg/../x",
    f"{SHA[:2]}/{SHA}.jpg",
    SHA + ".jpg\n",
    "",
    None,
]


@pytest.fixture(params=["local", "s3"])
def config(request, tmp_path) -> dict:
    """App settings naming one store: FANGXIN_UPLOAD_DIR alone, or the S3 store."""
    settings = {"FANGXIN_UPLOAD_DIR": str(tmp_path / "uploads")}
    if request.param == "s3":
        settings.update(request.getfixturevalue("s3_config"))
    return settings


@pytest.fixture
def store(config) -> Storage:
    return storage_from_config(config)


def stored_names(config: dict) -> list[str]:
    """What the store holds, as paths under its root (the same layout for both)."""
    if config.get("FANGXIN_STORAGE") == "s3":
        return object_names(config)
    root = config["FANGXIN_UPLOAD_DIR"]
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


def test_the_store_satisfies_the_protocol(store):
    assert isinstance(store, Storage)


def test_put_then_get_exists_and_replace(store):
    key = full_key(SHA)
    assert not store.exists(key)
    store.put(key, b"first")
    assert store.exists(key) and store.get(key) == b"first"
    store.put(key, b"second")
    assert store.get(key) == b"second"
    assert not store.exists(thumb_key(SHA))


def test_missing_keys_raise_file_not_found(store):
    with pytest.raises(FileNotFoundError):
        store.get(full_key(SHA))
    with pytest.raises(FileNotFoundError):
        store.open(full_key(SHA))


def test_open_streams_a_large_object_in_pieces(store):
    data = os.urandom(3 * 1024 * 1024 + 17)
    store.put(full_key(SHA), data)
    with store.open(full_key(SHA)) as fh:
        assert isinstance(fh, io.IOBase) and fh.readable()
        pieces = list(iter(lambda: fh.read(256 * 1024), b""))
    assert fh.closed
    assert len(pieces) > 1 and b"".join(pieces) == data


def test_delete_removes_and_is_idempotent(store):
    store.put(full_key(SHA), b"x")
    store.delete(full_key(SHA))
    assert not store.exists(full_key(SHA))
    store.delete(full_key(SHA))
    store.delete(full_key(OTHER))


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused_everywhere_and_touch_nothing(config, store, key):
    for call in (
        lambda: store.put(key, b"x"),
        lambda: store.get(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
        lambda: store.open(key),
    ):
        with pytest.raises(StorageKeyError):
            call()
    assert stored_names(config) == []


def test_photos_are_laid_out_as_the_local_tree(config, store):
    store.put(full_key(SHA), b"full")
    store.put(thumb_key(SHA), b"thumb")
    assert stored_names(config) == [f"{SHA[:2]}/{SHA}.jpg", f"{SHA[:2]}/{SHA}.thumb.jpg"]


def test_store_photo_writes_the_pair_once(store):
    class Processed:
        jpeg, thumb = b"full-size", b"thumbnail"
        sha256 = hashlib.sha256(b"full-size").hexdigest()

    assert store_photo(store, Processed) == Processed.sha256
    assert store.get(full_key(Processed.sha256)) == b"full-size"
    assert store.get(thumb_key(Processed.sha256)) == b"thumbnail"
    store.put(full_key(Processed.sha256), b"left alone")
    store_photo(store, Processed)
    assert store.get(full_key(Processed.sha256)) == b"left alone"


def test_signatures_have_their_own_keys_and_folder(config):
    signatures = signature_storage(config)
    key = SHA + ".png"
    signatures.put(key, b"\x89PNG")
    assert signatures.get(key) == b"\x89PNG" and signatures.exists(key)
    with pytest.raises(StorageKeyError):
        signatures.put(full_key(SHA), b"x")
    assert stored_names(config) == [f"signatures/{key}"]


def test_two_app_servers_with_the_same_settings_share_the_store(config):
    one, two = storage_from_config(dict(config)), storage_from_config(dict(config))
    one.put(full_key(SHA), b"from server one")
    assert two.get(full_key(SHA)) == b"from server one"
    two.delete(full_key(SHA))
    assert not one.exists(full_key(SHA))
