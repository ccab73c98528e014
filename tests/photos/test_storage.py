"""LocalStorage and store_photo: sharded paths, atomic writes, stored once (the contract every
store keeps, keys and round trips, is in test_storage_contract.py)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace

import pytest

from app.photos import ingest
from app.photos.storage import (
    LocalStorage,
    Storage,
    StorageKeyError,
    full_key,
    storage_from_config,
    store_photo,
    thumb_key,
)

from .conftest import TAKEN_LOCAL, YIMA

SHA = hashlib.sha256(b"fangxin").hexdigest()


class CountingStorage:
    """Wraps a storage and counts the puts."""

    def __init__(self, inner: Storage) -> None:
        self.inner, self.puts = inner, []

    def put(self, key, data):
        self.puts.append(key)
        self.inner.put(key, data)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def files_under(root) -> list[str]:
    """Every file below root, relative, sorted."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_keys_for_a_hash():
    assert full_key(SHA) == f"{SHA}.jpg"
    assert thumb_key(SHA) == f"{SHA}.thumb.jpg"
    with pytest.raises(StorageKeyError):
        full_key("../" + SHA)


def test_files_are_sharded_by_the_first_two_hex_digits(storage):
    storage.put(full_key(SHA), b"a")
    storage.put(thumb_key(SHA), b"b")
    assert storage.path(full_key(SHA)) == storage.root / SHA[:2] / f"{SHA}.jpg"
    assert files_under(storage.root) == [f"{SHA[:2]}/{SHA}.jpg", f"{SHA[:2]}/{SHA}.thumb.jpg"]


def test_put_replaces_atomically_and_leaves_no_temp_files(storage):
    key = full_key(SHA)
    storage.put(key, b"old")
    storage.put(key, b"new")
    assert storage.get(key) == b"new"
    assert files_under(storage.root) == [f"{SHA[:2]}/{SHA}.jpg"]


def test_failed_write_leaves_nothing_behind(storage, monkeypatch):
    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        storage.put(full_key(SHA), b"data")
    assert files_under(storage.root) == []


def test_same_photo_twice_is_stored_once(storage, camera_jpeg):
    data = camera_jpeg(gps=YIMA, taken=TAKEN_LOCAL)
    counting = CountingStorage(storage)
    first = store_photo(counting, ingest(data))
    second = store_photo(counting, ingest(data))
    assert first == second
    assert counting.puts == [thumb_key(first), full_key(first)]
    assert storage.get(full_key(first)) == ingest(data).jpeg
    assert len(files_under(storage.root)) == 2


def test_missing_thumbnail_is_repaired(storage, plain_jpeg):
    photo = ingest(plain_jpeg)
    store_photo(storage, photo)
    storage.delete(thumb_key(photo.sha256))
    counting = CountingStorage(storage)
    store_photo(counting, photo)
    assert counting.puts == [thumb_key(photo.sha256)]
    assert storage.get(thumb_key(photo.sha256)) == photo.thumb


def test_hash_that_does_not_match_the_bytes_is_refused(storage, plain_jpeg):
    forged = replace(ingest(plain_jpeg), sha256=SHA)
    with pytest.raises(ValueError, match="does not match"):
        store_photo(storage, forged)
    assert not storage.root.exists()


def test_storage_from_config_uses_the_upload_dir(tmp_path):
    storage = storage_from_config({"FANGXIN_UPLOAD_DIR": str(tmp_path / "uploads")})
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "uploads"
