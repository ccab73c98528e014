"""Where photo files live: a small key/bytes interface and a local-disk implementation.

Keys are never user-supplied names: a photo's sha256 in lowercase hex, then
`.jpg` (full size) or `.thumb.jpg` (thumbnail). LocalStorage shards by the first two
hex digits (`ab/abcdef….jpg`) and writes atomically (temp file + fsync + os.replace),
so a reader never sees half a file. An object store can implement the same Protocol.
Writers go through put_checked, so a full store is one exception (StorageFull) whatever
the Storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable

from app.photos.errors import full_storage_raises

if TYPE_CHECKING:
    from app.photos import ProcessedPhoto

KEY_RE = re.compile(r"[0-9a-f]{64}(?:\.thumb)?\.jpg")
SIGNATURE_KEY_RE = re.compile(r"[0-9a-f]{64}\.png")
# A resumable upload's chunk: <upload token, 32 hex>.<first byte>-<end>.part
PART_KEY_RE = re.compile(r"[0-9a-f]{32}\.[0-9]{1,10}-[0-9]{1,10}\.part")


class StorageKeyError(ValueError):
    """A key that is not `<sha256 hex>.jpg` or `<sha256 hex>.thumb.jpg` (or the store's own)."""


def check_key(key: str, pattern: re.Pattern = KEY_RE) -> str:
    """The key itself when well-formed; raises StorageKeyError otherwise."""
    if not isinstance(key, str) or not pattern.fullmatch(key):
        raise StorageKeyError(f"invalid storage key: {key!r}")
    return key


def full_key(sha256: str) -> str:
    """Key of the full-size JPEG for this content hash."""
    return check_key(f"{sha256}.jpg")


def thumb_key(sha256: str) -> str:
    """Key of the thumbnail JPEG for this content hash."""
    return check_key(f"{sha256}.thumb.jpg")


@runtime_checkable
class Storage(Protocol):
    """Content-addressed blob storage; every method validates its key."""

    def put(self, key: str, data: bytes) -> None:
        """Store data under key, replacing any previous value atomically."""

    def get(self, key: str) -> bytes:
        """The stored bytes; FileNotFoundError when absent."""

    def open(self, key: str) -> BinaryIO:
        """A readable binary file object (caller closes); FileNotFoundError when absent."""

    def exists(self, key: str) -> bool:
        """Whether key is stored."""

    def delete(self, key: str) -> None:
        """Remove key; no error when it is already gone."""


class LocalStorage:
    """Storage in a directory tree, e.g. instance/uploads/ab/abcdef….jpg.

    Signatures use a flat tree of their own (instance/uploads/signatures/abcdef….png), as
    they always have, with their own key pattern.
    """

    def __init__(
        self, root: str | os.PathLike[str], keys: re.Pattern = KEY_RE, sharded: bool = True
    ) -> None:
        self.root = Path(root)
        self.keys = keys
        self.sharded = sharded

    def path(self, key: str) -> Path:
        """The file path for a key (local storage only; e.g. for send_file)."""
        check_key(key, self.keys)
        return self.root / key[:2] / key if self.sharded else self.root / key

    def put(self, key: str, data: bytes) -> None:
        """Write to a temp file in the same directory, fsync, then rename into place."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def free_bytes(self) -> int:
        """Bytes free to this process on the store's file system (for the health check)."""
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # not created yet: the file system it will be made on
        stats = os.statvfs(folder)
        return stats.f_bavail * stats.f_frsize

    def get(self, key: str) -> bytes:
        """The stored bytes."""
        return self.path(key).read_bytes()

    def open(self, key: str) -> BinaryIO:
        """The stored file, opened for reading."""
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self.path(key).unlink(missing_ok=True)


def storage_from_config(config: Mapping[str, object]) -> Storage:
    """The storage the app config names: LocalStorage at FANGXIN_UPLOAD_DIR, or S3 (FANGXIN_STORAGE)."""
    if config.get("FANGXIN_STORAGE") == "s3":
        from app.photos.s3 import s3_storage  # boto3 is loaded only when it is used

        return s3_storage(config)
    return LocalStorage(str(config["FANGXIN_UPLOAD_DIR"]))


def signature_storage(config: Mapping[str, object]) -> Storage:
    """Where operators' signatures live: FANGXIN_UPLOAD_DIR/signatures (or S3), keyed <sha256>.png."""
    if config.get("FANGXIN_STORAGE") == "s3":
        from app.photos.s3 import s3_storage

        return s3_storage(config, "signatures/", keys=SIGNATURE_KEY_RE, sharded=False)
    root = Path(str(config["FANGXIN_UPLOAD_DIR"])) / "signatures"
    return LocalStorage(root, keys=SIGNATURE_KEY_RE, sharded=False)


def part_storage(config: Mapping[str, object]) -> Storage:
    """Where resumable uploads' chunks wait: FANGXIN_UPLOAD_DIR/partial (or S3 partial/)."""
    if config.get("FANGXIN_STORAGE") == "s3":
        from app.photos.s3 import s3_storage

        return s3_storage(config, "partial/", keys=PART_KEY_RE, sharded=False)
    root = Path(str(config["FANGXIN_UPLOAD_DIR"])) / "partial"
    return LocalStorage(root, keys=PART_KEY_RE, sharded=False)


def free_bytes(config: Mapping[str, object]) -> int | None:
    """Free space of the local photo store; None for an object store (no such figure)."""
    if config.get("FANGXIN_STORAGE", "local") != "local":
        return None
    return LocalStorage(str(config["FANGXIN_UPLOAD_DIR"])).free_bytes()


def put_checked(storage: Storage, key: str, data: bytes) -> None:
    """storage.put, with a full disk or quota raised as StorageFull (app.photos.errors)."""
    with full_storage_raises():
        storage.put(key, data)


def store_photo(storage: Storage, photo: ProcessedPhoto) -> str:
    """Write a processed photo's full JPEG and thumbnail unless stored; returns its sha256.

    The thumbnail goes first so that a present full-size file implies a complete pair;
    each file is still checked on its own, so an interrupted earlier write is repaired.
    A full store raises StorageFull.
    """
    if hashlib.sha256(photo.jpeg).hexdigest() != photo.sha256:
        raise ValueError("ProcessedPhoto.sha256 does not match its JPEG bytes")
    for key, data in ((thumb_key(photo.sha256), photo.thumb), (full_key(photo.sha256), photo.jpeg)):
        if not storage.exists(key):
            put_checked(storage, key, data)
    return photo.sha256
