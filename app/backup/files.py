"""The file half: photo store, signatures, unfinished uploads and the instance secret."""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from app.backup import BackupError
from app.photos.storage import (
    KEY_RE,
    PART_KEY_RE,
    SIGNATURE_KEY_RE,
    LocalStorage,
    check_key,
    part_storage,
    signature_storage,
    storage_from_config,
)

SHARD_RE = re.compile(r"[0-9a-f]{2}")
PART_RE = PART_KEY_RE  # resumable uploads' chunks (app.photos.uploads)
INSTANCE_RE = re.compile(r"secret_key|config\.py")


class Hashing:
    """A read-only file wrapper that hashes what is read through it (for tar.addfile)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def stores(config: Mapping[str, Any]) -> dict[str, LocalStorage] | None:
    """The local stores by archive folder, or None when photos live in an object store."""
    if config.get("FANGXIN_STORAGE", "local") != "local":
        return None
    photos, signatures = storage_from_config(config), signature_storage(config)
    if not (isinstance(photos, LocalStorage) and isinstance(signatures, LocalStorage)):
        return None
    partial = part_storage(config)
    assert isinstance(partial, LocalStorage)
    return {"photos": photos, "signatures": signatures, "partial": partial}


def instance_store(instance_path: str) -> LocalStorage:
    """instance/ itself, for its secret_key and config.py only."""
    return LocalStorage(instance_path, keys=INSTANCE_RE, sharded=False)


def stored_files(local: Mapping[str, LocalStorage]) -> Iterator[tuple[str, Path]]:
    """(archive name, file) of every photo, signature and unfinished upload, sorted."""
    photos = local["photos"].root
    for shard in sorted(photos.iterdir()) if photos.is_dir() else ():
        if shard.is_dir() and SHARD_RE.fullmatch(shard.name):
            for path in sorted(shard.iterdir()):
                if KEY_RE.fullmatch(path.name) and path.name.startswith(shard.name):
                    yield f"photos/{shard.name}/{path.name}", path
    for folder in ("signatures", "partial"):
        root, keys = local[folder].root, local[folder].keys
        for path in sorted(root.iterdir()) if root.is_dir() else ():
            if keys.fullmatch(path.name) and path.is_file():
                yield f"{folder}/{path.name}", path


def add_file(tar: tarfile.TarFile, name: str, path: Path) -> str | None:
    """Add one file under name; its sha256, or None when it vanished before it was read."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None  # an unfinished upload purged meanwhile
    with fh:
        info = tar.gettarinfo(arcname=name, fileobj=fh)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = Hashing(fh)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return reader.sha.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> str:
    """Add bytes as a member (the manifest); their sha256."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))
    return hashlib.sha256(data).hexdigest()


def place(local: Mapping[str, LocalStorage] | None, name: str) -> tuple[LocalStorage, str] | None:
    """Where a file member goes: (store, key); None when the target keeps no local files.

    Raises BackupError for a name no backup writes (a tampered or foreign archive).
    """
    folder, _sep, rest = name.partition("/")
    try:
        if folder == "photos":
            shard, _sep, key = rest.partition("/")
            if check_key(key) and shard != key[:2]:
                raise ValueError(name)
        elif folder in ("signatures", "partial"):
            key = check_key(rest, SIGNATURE_KEY_RE if folder == "signatures" else PART_RE)
        else:
            raise ValueError(name)
    except ValueError as exc:
        raise BackupError(unknown_member(name)) from exc
    return None if local is None else (local[folder], key)


def unknown_member(name: str) -> str:
    """The message for a member no backup writes."""
    return _("备份文件已损坏或被改动：其中有不认识的文件 %(name)s", name=name)


def read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, sha256: str) -> bytes:
    """A member's bytes, refused unless their sha256 is the manifest's."""
    fh = tar.extractfile(member)
    data = fh.read() if fh else b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BackupError(_("备份文件校验失败：%(name)s 与清单中的 sha256 不符", name=member.name))
    return data
