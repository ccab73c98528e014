"""One backup archive (a plain tar): writing it from a live instance, restoring from it."""

from __future__ import annotations

import errno
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.backup import BackupError, database, files, manifest
from app.extensions import db

PAX = tarfile.PAX_FORMAT
MAX_LISTED = 20  # missing files named in the manifest; the count is always complete


def archive_path(dest: Path) -> Path:
    """DEST itself, or a new timestamped name inside DEST when it is a directory."""
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path, n = dest / f"fangxin-backup-{stamp}.tar", 1
        while path.exists():  # two backups in the same second keep both
            n += 1
            path = dest / f"fangxin-backup-{stamp}-{n}.tar"
        return path
    if dest.exists():
        raise BackupError(_("%(path)s 已存在：请换一个文件名或指定一个目录", path=dest))
    if not dest.parent.is_dir():
        raise BackupError(_("目标目录不存在：%(path)s", path=dest.parent))
    return dest


@contextmanager
def file_errors() -> Iterator[None]:
    """Turn a full disk, a refused permission, a read or a database error into Chinese."""
    try:
        yield
    except (sqlite3.Error, SQLAlchemyError) as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise BackupError(_("数据库无法访问或出错：%(error)s", error=first)) from exc
    except OSError as exc:
        where = exc.filename or ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupError(_("磁盘空间不足：%(path)s", path=where)) from exc
        if isinstance(exc, PermissionError):
            raise BackupError(_("没有读写权限：%(path)s", path=where)) from exc
        raise BackupError(_("读写文件出错：%(error)s", error=exc)) from exc


def make_backup(app: Flask, dest: Path) -> dict[str, Any]:
    """Write the archive: database, then photos and signatures, then the secret, then the manifest.

    Files are copied after the database view is fixed, so every file a backed-up row names
    is already on disk (files are written before the rows that name them are committed).
    """
    with file_errors():
        target = archive_path(dest)
        part = target.with_name(f".{target.name}.part")
        try:
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fangxin-") as work:
                summary = write_archive(app, part, Path(work))
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    return summary | {"path": str(target), "bytes": target.stat().st_size}


def write_archive(app: Flask, part: Path, work: Path) -> dict[str, Any]:
    """Fill the tar at part; the summary of what went in."""
    engine = db.engine
    kind = database.kind_of(engine)
    name = database.DUMP_NAMES[kind]
    sha: dict[str, str] = {}
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds the secret
    with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w", format=PAX) as tar:
        copy = work / Path(name).name
        found = database.snapshot(engine, copy)
        sha[name] = files.add_file(tar, name, copy) or ""
        copy.unlink()
        file_info = add_store(app, tar, found, sha)
        secret = add_instance(app, tar, sha)
        db_info = {"kind": kind, "file": name, "server": found.server,
                   "revision": found.revision, "counts": found.counts}  # fmt: skip
        built = manifest.build(app, db_info, file_info, secret, sha)
        files.add_bytes(tar, manifest.NAME, manifest.dumps(built))
        tar.close()
        out.flush()
        os.fsync(out.fileno())
    return {"kind": kind, "revision": found.revision, "counts": found.counts,
            "files": file_info, "instance": secret}  # fmt: skip


def add_store(app: Flask, tar: tarfile.TarFile, found: database.Facts, sha: dict) -> dict:
    """Photos, signatures and unfinished uploads; which named files were missing."""
    local = files.stores(app.config)
    if local is None:
        return {"storage": "object"}
    counts = {"photos": 0, "signatures": 0, "partial": 0}
    present: set[str] = set()
    for name, path in files.stored_files(local):
        digest = files.add_file(tar, name, path)
        if digest:
            sha[name] = digest
            counts[name.split("/")[0]] += 1
            present.add(path.name)
    missing = sorted(f"{s}.jpg" for s in found.photos if f"{s}.jpg" not in present)
    missing += sorted(k for k in found.signatures if k not in present)
    return {
        "storage": "local",
        **counts,
        "missing": len(missing),
        "missing_named": missing[:MAX_LISTED],
    }


def add_instance(app: Flask, tar: tarfile.TarFile, sha: dict) -> list[str]:
    """instance/secret_key and instance/config.py when they exist."""
    added = []
    for key in ("secret_key", "config.py"):
        path = Path(app.instance_path) / key
        if path.is_file() and (digest := files.add_file(tar, f"instance/{key}", path)):
            sha[f"instance/{key}"] = digest
            added.append(key)
    return added
