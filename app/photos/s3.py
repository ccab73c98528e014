"""Photos and signatures in an S3-compatible object store (MinIO, Ceph RGW, a cloud OSS).

Selected by FANGXIN_STORAGE = "s3", so that several app servers share one store. Objects
are laid out as the local tree is (`<prefix>ab/abcdef….jpg`, `<prefix>signatures/abcdef….png`),
so an existing `instance/uploads` can be copied into the bucket as it is. A PUT replaces an
object whole, so a reader never sees half a photo; reads stream the object's body.
"""

from __future__ import annotations

import contextlib
import errno
import io
import re
import threading
from collections.abc import Iterator, Mapping
from typing import BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.photos.storage import KEY_RE, check_key

MISSING = {"NoSuchKey", "NotFound", "404"}
# MinIO answers a full disk with XMinioStorageFull (HTTP 507); others use 507 alone.
FULL = {"XMinioStorageFull", "InsufficientStorage", "StorageFull"}
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}
READ_BUFFER = 64 * 1024

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class ObjectStoreError(OSError):
    """The object store could not be reached or refused a request (not a missing key)."""


def storage_full(message: str) -> OSError:
    """The error for a full store: ENOSPC, which the upload paths answer with HTTP 507."""
    return OSError(errno.ENOSPC, message)


class S3Storage:
    """Storage in a bucket; keys are checked exactly as LocalStorage checks them."""

    def __init__(
        self,
        client,
        bucket: str,
        prefix: str = "",
        keys: re.Pattern = KEY_RE,
        sharded: bool = True,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.keys = keys
        self.sharded = sharded

    def name(self, key: str) -> str:
        """The object name for a key, e.g. photos/ab/abcdef….jpg."""
        check_key(key, self.keys)
        return f"{self.prefix}{key[:2]}/{key}" if self.sharded else f"{self.prefix}{key}"

    def put(self, key: str, data: bytes) -> None:
        """Upload the bytes as one object (a PUT replaces the object atomically)."""
        name = self.name(key)
        kind = CONTENT_TYPES.get(key[key.rfind(".") :], "application/octet-stream")
        with mapped(key):
            self.client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=kind)

    def get(self, key: str) -> bytes:
        """The stored bytes; FileNotFoundError when absent."""
        with self.open(key) as fh:
            return fh.read()

    def open(self, key: str) -> BinaryIO:
        """The object's body as a buffered binary file, read from the store as it is read."""
        name = self.name(key)
        with mapped(key):
            body = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
        return io.BufferedReader(BodyReader(body, key), buffer_size=READ_BUFFER)

    def exists(self, key: str) -> bool:
        """Whether the object is there (a HEAD request)."""
        name = self.name(key)
        try:
            with mapped(key):
                self.client.head_object(Bucket=self.bucket, Key=name)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        """Remove the object; S3 answers the same when it is already gone."""
        name = self.name(key)
        with mapped(key):
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (tests and first set-up; production makes it)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            with mapped(self.bucket):
                self.client.create_bucket(Bucket=self.bucket)


class BodyReader(io.RawIOBase):
    """A botocore StreamingBody as a raw binary file (for io.BufferedReader and send_file)."""

    def __init__(self, body, key: str) -> None:
        self.body = body
        self.key = key

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with mapped(self.key):
            data = self.body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.body.close()
        super().close()


@contextlib.contextmanager
def mapped(key: str) -> Iterator[None]:
    """Turn botocore's errors into the storage errors the app handles."""
    try:
        yield
    except ClientError as err:
        raise client_error(err, key) from err
    except BotoCoreError as err:
        raise ObjectStoreError(errno.EIO, f"object store: {err}") from err


def client_error(err: ClientError, key: str) -> OSError:
    """The OSError for an S3 error answer: missing, full, or anything else."""
    code = str(err.response.get("Error", {}).get("Code", ""))
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in MISSING:
        return FileNotFoundError(errno.ENOENT, "not in the object store", key)
    if code in FULL or status == 507:
        return storage_full(f"object store full: {code or status}")
    return ObjectStoreError(errno.EIO, f"object store refused {key}: {code or status}")


def client_for(config: Mapping[str, object]):
    """One boto3 S3 client per endpoint and credentials, shared by threads (clients are)."""
    settings = (
        config.get("FANGXIN_S3_ENDPOINT_URL") or None,
        config.get("FANGXIN_S3_ACCESS_KEY") or None,
        config.get("FANGXIN_S3_SECRET_KEY") or None,
        config.get("FANGXIN_S3_REGION") or "us-east-1",
    )
    with _clients_lock:
        if settings not in _clients:
            endpoint, access, secret, region = settings
            _clients[settings] = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint,
                aws_access_key_id=access,
                aws_secret_access_key=secret,
                region_name=region,
                config=Config(
                    s3={"addressing_style": "path"},  # MinIO and RGW serve buckets by path
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=30,
                ),
            )
        return _clients[settings]


def close_clients() -> None:
    """Close the shared clients' connections (tests, or a worker shutting down)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def s3_storage(
    config: Mapping[str, object], folder: str = "", keys: re.Pattern = KEY_RE, sharded: bool = True
) -> S3Storage:
    """The S3 store the config names; folder is a sub-prefix (e.g. signatures/)."""
    bucket = str(config.get("FANGXIN_S3_BUCKET") or "")
    if not bucket:
        raise RuntimeError("FANGXIN_STORAGE is 's3' but FANGXIN_S3_BUCKET is not set")
    prefix = str(config.get("FANGXIN_S3_PREFIX") or "").strip("/")
    prefix = f"{prefix}/{folder}" if prefix else folder
    return S3Storage(client_for(config), bucket, prefix=prefix, keys=keys, sharded=sharded)
