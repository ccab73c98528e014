"""manifest.json: what a backup holds, and the checks a restore makes against it."""

from __future__ import annotations

import json
import platform
import tarfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask
from flask_babel import gettext as _

from app.backup import BackupError

NAME = "manifest.json"
FORMAT = "fangxin-backup"
FORMAT_VERSION = 1


def app_version(app: Flask) -> str:
    """The version in pyproject.toml beside the app, or 'unknown'."""
    path = Path(app.root_path).parent / "pyproject.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def build(app: Flask, database: dict[str, Any], files: dict[str, Any], secret: list[str],
          sha256: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """The manifest of a finished backup."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {"fangxin": app_version(app), "python": platform.python_version()},
        "database": database,
        "files": files,
        "instance": secret,
        "sha256": sha256,
    }


def dumps(manifest: dict[str, Any]) -> bytes:
    """The manifest as the archive stores it (readable JSON)."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()


def read(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> dict[str, Any]:
    """The archive's manifest; BackupError unless it is a Fangxin backup this code reads."""
    member = members.get(NAME)
    fh = tar.extractfile(member) if member else None
    if fh is None and any(n.startswith("database/") for n in members):
        raise BackupError(_("备份文件不完整：缺少最后写入的 manifest.json（文件可能被截断）"))
    if fh is None:
        raise BackupError(_("这不是 Fangxin 备份文件：其中没有 manifest.json"))
    try:
        manifest = json.loads(fh.read())
    except ValueError as exc:
        raise BackupError(_("备份文件已损坏：manifest.json 无法读取")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("这不是 Fangxin 备份文件：manifest.json 格式不对"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("备份格式版本 %(v)s 不受本程序支持，请用生成它的版本恢复",
              v=manifest.get("format_version"))
        )  # fmt: skip
    for key in ("database", "sha256"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(_("备份文件已损坏：manifest.json 缺少 %(key)s", key=key))
    return manifest


def check_revision(app: Flask, revision: str | None) -> str | None:
    """None when the backup's schema is this code's head; a note when it is older.

    Raises BackupError for a revision these migrations do not know (a newer app's backup).
    """
    scripts = ScriptDirectory(app.extensions["migrate"].directory)
    head = scripts.get_current_head()
    if revision == head:
        return None
    try:
        known = revision is not None and scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            _("备份的数据库版本 %(rev)s 不在本程序的迁移中（本程序为 %(head)s）："
              "请先把程序升级到生成备份的版本再恢复", rev=revision, head=head)
        )  # fmt: skip
    return _("备份的数据库版本 %(rev)s 旧于本程序（%(head)s）：恢复后请运行 flask db upgrade",
             rev=revision, head=head)  # fmt: skip


def count_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """'table: expected → found' for each table whose row count differs."""
    return [
        f"{table}: {n} → {found.get(table, 0)}"
        for table, n in sorted(expected.items())
        if found.get(table, 0) != n
    ]
