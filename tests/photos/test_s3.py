"""S3Storage's own behaviour: errors mapped onto the app's storage errors, settings checked."""

from __future__ import annotations

import errno
import hashlib

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from app.photos import s3
from app.photos.errors import StorageFull
from app.photos.storage import full_key, put_checked, storage_from_config

KEY = full_key(hashlib.sha256(b"fangxin").hexdigest())


class FailingClient:
    """A boto3 client stand-in whose every call raises the given error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, name):
        def call(**kwargs):
            raise self.error

        return call


def answer(code: str, status: int) -> ClientError:
    body = {
        "Error": {"Code": code, "Message": code},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(body, "PutObject")


@pytest.mark.parametrize(
    ("code", "status"), [("XMinioStorageFull", 507), ("InsufficientStorage", 507), ("", 507)]
)
def test_a_full_object_store_is_enospc(code, status):
    store = s3.S3Storage(FailingClient(answer(code, status)), "b")
    with pytest.raises(OSError) as raised:
        store.put(KEY, b"x")
    assert raised.value.errno == errno.ENOSPC


def test_a_missing_object_is_file_not_found():
    store = s3.S3Storage(FailingClient(answer("NoSuchKey", 404)), "b")
    with pytest.raises(FileNotFoundError):
        store.get(KEY)
    assert not s3.S3Storage(FailingClient(answer("404", 404)), "b").exists(KEY)


@pytest.mark.parametrize(
    "error",
    [
        answer("NoSuchBucket", 404),
        answer("AccessDenied", 403),
        answer("InternalError", 500),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
    ],
)
def test_other_failures_are_object_store_errors_not_botocore_ones(error):
    store = s3.S3Storage(FailingClient(error), "b")
    for call in (
        lambda: store.put(KEY, b"x"),
        lambda: store.get(KEY),
        lambda: store.exists(KEY),
        lambda: store.delete(KEY),
    ):
        with pytest.raises(s3.ObjectStoreError) as raised:
            call()
        assert isinstance(raised.value, OSError) and not isinstance(raised.value, FileNotFoundError)


def test_s3_without_a_bucket_is_refused_with_the_setting_named(tmp_path):
    with pytest.raises(RuntimeError, match="FANGXIN_S3_BUCKET"):
        storage_from_config({"FANGXIN_STORAGE": "s3", "FANGXIN_UPLOAD_DIR": str(tmp_path)})


def test_the_prefix_and_folder_make_the_object_names():
    config = {"FANGXIN_STORAGE": "s3", "FANGXIN_S3_BUCKET": "b", "FANGXIN_S3_PREFIX": "/yima/"}
    store = s3.s3_storage(config, "signatures/", keys=s3.KEY_RE, sharded=False)
    assert store.name(KEY) == f"yima/signatures/{KEY}"
    assert s3.s3_storage(config).name(KEY) == f"yima/{KEY[:2]}/{KEY}"
    assert s3.s3_storage({**config, "FANGXIN_S3_PREFIX": ""}).name(KEY) == f"{KEY[:2]}/{KEY}"
    s3.close_clients()


def test_a_full_bucket_reaches_the_app_as_storage_full():
    store = s3.S3Storage(FailingClient(answer("XMinioStorageFull", 507)), "b")
    with pytest.raises(StorageFull):
        put_checked(store, KEY, b"x")
