"""`flask restore SRC`: check the whole archive, then put files, database and secret in place."""

from __future__ import annotations

import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from app.backup import BackupError, database, files, manifest
from app.backup.archive import file_errors
from app.extensions import db


def restore_backup(app: Flask, src: Path, force: bool = False) -> dict[str, Any]:
    """Restore the archive at src over the configured database, store and instance.

    Everything is checked (manifest, schema revision, an empty target unless force, every
    member's sha256, the database copy's row counts) before the database is replaced.
    Photo files go in first: they are content-addressed, so an extra one harms nothing.
    """
    if not src.is_file():
        raise BackupError(_("找不到备份文件：%(path)s", path=src))
    with file_errors():
        try:
            tar = tarfile.open(src, "r:*")  # noqa: SIM115 (closed by the `with tar` below)
        except (tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupError(_("备份文件已损坏或不是 tar 归档：%(path)s", path=src)) from exc
        with tar:
            try:
                return restore_from(app, tar, force)
            except (tarfile.TarError, EOFError, zlib.error) as exc:
                raise BackupError(_("备份文件已损坏或不完整：%(error)s", error=exc)) from exc


def restore_from(app: Flask, tar: tarfile.TarFile, force: bool) -> dict[str, Any]:
    """The restore proper, on an open archive."""
    members = {m.name: m for m in tar.getmembers()}
    wanted = manifest.read(tar, members)
    engine = db.engine
    info = wanted["database"]
    kind = database.kind_of(engine)
    if info.get("kind") != kind:
        raise BackupError(
            _("备份的数据库是 %(theirs)s，而本实例配置的是 %(ours)s：请改 DATABASE_URL 后再恢复",
              theirs=info.get("kind"), ours=kind)
        )  # fmt: skip
    note = manifest.check_revision(app, info.get("revision"))
    db.session.remove()
    if not force and not database.is_empty(engine):
        raise BackupError(_("当前数据库已有数据，恢复会覆盖它：确需覆盖请加 --force"))
    check_members(members, wanted["sha256"], info.get("file"))
    with tempfile.TemporaryDirectory(dir=app.instance_path, prefix=".restore-") as work:
        copy = extract(tar, members[info["file"]], wanted["sha256"][info["file"]], Path(work))
        check_counts(info["counts"], database.check_copy(kind, copy))
        restored = restore_files(app, tar, members, wanted["sha256"])
        database.restore(engine, copy)
    instance = restore_instance(app, tar, members, wanted["sha256"])
    check_counts(info["counts"], database.target_facts(engine))
    return {"kind": kind, "counts": info["counts"], "files": restored, "instance": instance,
            "note": note, "created_at": wanted.get("created_at")}  # fmt: skip


def check_members(members: dict[str, tarfile.TarInfo], sha: dict[str, str], dump) -> None:
    """Every listed member is there, is one a backup writes, and nothing else is there."""
    if dump not in database.DUMP_NAMES.values() or dump not in sha:
        raise BackupError(_("备份文件已损坏：manifest.json 中没有数据库文件"))
    for name in sha:
        if name != dump and name not in ("instance/secret_key", "instance/config.py"):
            files.place(None, name)
        if name not in members or not members[name].isfile():
            raise BackupError(_("备份文件不完整：缺少 %(name)s", name=name))
    for name in members:
        if name != manifest.NAME and name not in sha:
            raise BackupError(files.unknown_member(name))


def extract(tar: tarfile.TarFile, member: tarfile.TarInfo, sha256: str, work: Path) -> Path:
    """The database member written to work, its sha256 checked on the way."""
    out = work / Path(member.name).name
    with tar.extractfile(member) as fh, out.open("wb") as dst:  # type: ignore[union-attr]
        reader = files.Hashing(fh)
        while chunk := reader.read(1024 * 1024):
            dst.write(chunk)
    if reader.sha.hexdigest() != sha256:
        raise BackupError(_("备份文件校验失败：%(name)s 与清单中的 sha256 不符", name=member.name))
    return out


def check_counts(expected: dict[str, int], found: database.Facts | None) -> None:
    """Row counts must be the manifest's, table by table."""
    if found is None:
        return
    wrong = manifest.count_differences(expected, found.counts)
    if wrong:
        raise BackupError(
            _("数据与备份清单不符（表: 清单 → 实际）：%(wrong)s", wrong="; ".join(wrong))
        )


def restore_files(app: Flask, tar: tarfile.TarFile, members: dict, sha: dict) -> dict[str, Any]:
    """Photos, signatures and unfinished uploads into the local store, each checked."""
    local = files.stores(app.config)
    counts = {"photos": 0, "signatures": 0, "partial": 0}
    names = [n for n in sha if n.split("/")[0] in counts]
    for name in names:
        where = files.place(local, name)
        if where is None:
            continue
        store, key = where
        data = files.read_member(tar, members[name], sha[name])
        store.put(key, data)
        counts[name.split("/")[0]] += 1
    return {"storage": "local" if local else "object", "skipped": bool(names) and local is None,
            **counts}  # fmt: skip


def restore_instance(app: Flask, tar: tarfile.TarFile, members: dict, sha: dict) -> list[str]:
    """The secret always; config.py only where the instance has none (it may differ on purpose)."""
    store = files.instance_store(app.instance_path)
    done = []
    for key in ("secret_key", "config.py"):
        name = f"instance/{key}"
        if name not in sha or (key == "config.py" and store.exists(key)):
            continue
        store.put(key, files.read_member(tar, members[name], sha[name]))
        done.append(key)
    return done
