"""Signatures go through the storage interface: atomic, fsynced, flat under signatures/."""

import base64
import io
import os

import pytest
from PIL import Image

from app.inspections import signatures
from app.photos import StorageFull
from app.photos.storage import StorageKeyError, signature_storage


def png_data_url() -> str:
    buf = io.BytesIO()
    Image.new("L", (40, 20), 255).save(buf, format="PNG")
    return signatures.PREFIX + base64.b64encode(buf.getvalue()).decode()


def test_a_signature_is_stored_once_under_its_hash(app):
    with app.app_context():
        key = signatures.store(png_data_url())
        assert key == signatures.store(png_data_url())
        path = signatures.path_of(key)
        assert path.parent.name == "signatures" and path.name == key
        assert signature_storage(app.config).get(key).startswith(b"\x89PNG")


def test_a_failed_write_leaves_no_partial_file(app, monkeypatch):
    def full_disk(fd):
        raise OSError(28, "No space left on device")

    with app.app_context():
        monkeypatch.setattr(os, "fsync", full_disk)
        with pytest.raises(StorageFull):
            signatures.store(png_data_url())
        folder = signature_storage(app.config).root
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize("key", ["../secret_key", "ab.jpg", "0" * 64 + ".jpg", None, ""])
def test_malformed_signature_keys_find_nothing(app, key):
    with app.app_context():
        assert signatures.path_of(key) is None
        if key:
            with pytest.raises(StorageKeyError):
                signature_storage(app.config).path(key)
