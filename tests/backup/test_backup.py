"""flask backup / flask restore: a backup taken during writes restores every committed row and file."""

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import threading
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app.backup import BackupError, database
from app.extensions import db
from app.models import Inspection, Photo
from app.photos.storage import LocalStorage, full_key, signature_storage, storage_from_config
from tests.backup.conftest import submit_one, upload_dir


def invoke(app, *args):
    """A CLI command in app's own context (with_appcontext would reuse the test's)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=[str(a) for a in args])


def backup(app, dest) -> Path:
    """Run `flask backup DEST`; the archive written."""
    result = invoke(app, "backup", dest)
    assert result.exit_code == 0, result.output
    assert "备份已写入" in result.output
    return Path(result.output.split("备份已写入 ")[1].split("（")[0])


def restore(app, src, *extra):
    """Run `flask restore SRC`; the click result (never a traceback)."""
    result = invoke(app, "restore", src, *extra)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def inspections() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Inspection))


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def test_backup_during_writes_restores_every_committed_inspection_and_photo(
    app, writer, target, tmp_path
):
    (Path(app.instance_path) / "secret_key").write_text("the-instance-secret\n")
    writer.start()
    writer.wait_for(3)
    committed = list(writer.committed)  # committed before the backup started
    archive = backup(app, tmp_path)
    writer.wait_for(len(committed) + 2)  # it kept writing meanwhile
    writer.finish()
    assert len(writer.committed) > len(committed)

    result = restore(target, archive)
    assert result.exit_code == 0, result.output
    assert "数据与清单一致" in result.output
    with target.app_context():
        rows = db.session.scalars(
            db.select(Inspection).where(Inspection.client_uuid.in_(committed))
        ).all()
        assert len(rows) == len(committed)
        assert all(r.status == "submitted" and r.signature_key for r in rows)
        photos = storage_from_config(target.config)
        signed = signature_storage(target.config)
        for row in rows:
            shas = db.session.scalars(db.select(Photo.sha256).where(Photo.inspection_id == row.id))
            shas = list(shas)
            assert shas, row.client_uuid
            assert all(photos.exists(full_key(s)) for s in shas)
            assert signed.exists(row.signature_key)
        restored = db.session.scalar(db.select(db.func.count()).select_from(Inspection))
        db.session.remove()
    assert restored == manifest_of(archive)["database"]["counts"]["inspection"]
    assert (Path(target.instance_path) / "secret_key").read_text() == "the-instance-secret\n"


def test_manifest_lists_versions_revision_counts_and_every_members_sha256(
    app, city, shop, tmp_path
):
    submit_one(app, city.inspector.id, shop.id, 1)
    manifest = manifest_of(backup(app, tmp_path / "one.tar"))
    head = ScriptDirectory(app.extensions["migrate"].directory).get_current_head()
    assert manifest["database"]["revision"] == head
    assert manifest["database"]["counts"]["inspection"] == 1
    assert manifest["database"]["counts"]["photo"] == 1
    assert manifest["database"]["counts"]["user"] == 4
    assert manifest["versions"]["fangxin"] and manifest["database"]["server"]
    assert manifest["files"] == {"storage": "local", "photos": 2, "signatures": 1, "partial": 0,
                                 "missing": 0, "missing_named": []}  # fmt: skip
    with tarfile.open(tmp_path / "one.tar") as tar:
        names = {m.name for m in tar.getmembers()} - {"manifest.json"}
        assert names == set(manifest["sha256"])
        for name, digest in manifest["sha256"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == digest


def test_backup_names_files_the_database_refers_to_but_the_store_lacks(app, city, shop, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    sha = db.session.scalar(db.select(Photo.sha256))
    storage_from_config(app.config).delete(full_key(sha))
    result = invoke(app, "backup", tmp_path / "b.tar")
    assert result.exit_code == 0
    assert f"1 个文件在照片库中找不到：{sha}.jpg" in result.output


def test_restore_refuses_a_database_with_data_unless_forced(app, city, shop, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    archive = backup(app, tmp_path / "b.tar")
    submit_one(app, city.inspector.id, shop.id, 2)
    db.session.commit()
    refused = restore(app, archive)
    assert refused.exit_code == 1
    assert "当前数据库已有数据，恢复会覆盖它：确需覆盖请加 --force" in refused.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 2
    db.session.remove()
    forced = restore(app, archive, "--force")
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 1


def test_a_backup_restores_into_an_instance_never_migrated(app, city, shop, target, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    archive = backup(app, tmp_path / "b.tar")
    with target.app_context():  # an empty database, not even the schema
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.session.remove()
    result = restore(target, archive)
    assert result.exit_code == 0, result.output
    assert "检查 1 条" in result.output


def test_object_store_is_left_to_its_own_tooling(app, city, shop, tmp_path, monkeypatch):
    submit_one(app, city.inspector.id, shop.id, 1)

    class ObjectStore:  # anything but LocalStorage, as the S3 store is
        pass

    monkeypatch.setattr("app.backup.files.storage_from_config", lambda config: ObjectStore())
    result = invoke(app, "backup", tmp_path / "b.tar")
    assert result.exit_code == 0, result.output
    assert "请用对象存储自己的工具备份" in result.output
    manifest = manifest_of(tmp_path / "b.tar")
    assert manifest["files"] == {"storage": "object"}
    assert not any(n.startswith("photos/") for n in manifest["sha256"])


def test_with_the_s3_setting_the_backup_holds_no_files_and_the_restore_writes_none(
    app, city, shop, tmp_path
):
    submit_one(app, city.inspector.id, shop.id, 1)
    local = backup(app, tmp_path / "local.tar")
    app.config["FANGXIN_STORAGE"] = "s3"
    try:
        assert manifest_of(backup(app, tmp_path / "s3.tar"))["files"] == {"storage": "object"}
        shutil.rmtree(upload_dir(app))
        db.session.remove()  # the test's own session would count as an app server
        result = restore(app, local, "--force")
    finally:
        app.config["FANGXIN_STORAGE"] = "local"
    assert result.exit_code == 0, result.output
    assert "备份里的照片文件未恢复，请用对象存储的工具恢复" in result.output
    assert not upload_dir(app).exists()
    assert isinstance(storage_from_config(app.config), LocalStorage)


def rewrite(src: Path, dest: Path, change) -> Path:
    """A copy of an archive with change(name, data) -> data | None applied to each member."""
    with tarfile.open(src) as old, tarfile.open(dest, "w") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return dest


def edit_manifest(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def test_restore_refuses_damaged_foreign_or_newer_backups_in_chinese(app, city, shop, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    good = backup(app, tmp_path / "good.tar")
    photo = next(n for n in manifest_of(good)["sha256"] if n.startswith("photos/"))
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"not a tar at all" * 100)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])

    def newer(m):
        m["database"]["revision"] = "9999_from_the_future"

    cases = {
        tmp_path / "absent.tar": "找不到备份文件",
        garbage: "备份文件已损坏或不是 tar 归档",
        truncated: "备份文件已损坏或不完整：unexpected end of data",
        rewrite(good, tmp_path / "photo.tar", lambda n, d: d[:-1] + b"x" if n == photo else d):
            f"备份文件校验失败：{photo} 与清单中的 sha256 不符",
        rewrite(good, tmp_path / "lost.tar", lambda n, d: None if n == photo else d):
            f"备份文件不完整：缺少 {photo}",
        rewrite(good, tmp_path / "newer.tar", edit_manifest(newer)):
            "不在本程序的迁移中",
        rewrite(good, tmp_path / "nomanifest.tar", lambda n, d: None if n == "manifest.json" else d):
            "备份文件不完整：缺少最后写入的 manifest.json",
    }  # fmt: skip
    submit_one(app, city.inspector.id, shop.id, 2)  # not in the backup
    for path, message in cases.items():
        result = restore(app, path, "--force")
        assert result.exit_code == 1, (path.name, result.output)
        assert message in result.output, (path.name, result.output)
    assert inspections() == 2  # nothing was restored by any of them
    db.session.remove()
    assert restore(app, good, "--force").exit_code == 0
    assert inspections() == 1


def test_restore_refuses_an_archive_with_a_file_no_backup_writes(app, target, tmp_path):
    good = backup(app, tmp_path / "good.tar")
    evil = tmp_path / "evil.tar"
    with tarfile.open(good) as old, tarfile.open(evil, "w") as new:
        for member in old.getmembers():
            new.addfile(member, old.extractfile(member))
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 3
        new.addfile(info, io.BytesIO(b"bad"))
    result = restore(target, evil)
    assert result.exit_code == 1
    assert "其中有不认识的文件 ../../outside.txt" in result.output
    assert not (tmp_path / "outside.txt").exists()


def test_backups_into_a_directory_get_their_own_names(app, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    first, second = backup(app, folder), backup(app, folder)
    assert first != second and first.parent == second.parent == folder
    assert first.name.startswith("fangxin-backup-") and first.suffix == ".tar"
    assert first.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == sorted([first.name, second.name])


def test_backup_refuses_an_existing_file_and_a_missing_directory(app, tmp_path):
    (tmp_path / "taken.tar").write_bytes(b"an older backup")
    result = invoke(app, "backup", tmp_path / "taken.tar")
    assert result.exit_code == 1 and "已存在：请换一个文件名或指定一个目录" in result.output
    assert (tmp_path / "taken.tar").read_bytes() == b"an older backup"
    result = invoke(app, "backup", tmp_path / "no" / "such" / "b.tar")
    assert result.exit_code == 1 and "目标目录不存在" in result.output


def test_without_the_postgresql_client_tools_the_message_says_what_to_install(
    app, tmp_path, monkeypatch
):
    monkeypatch.setattr("app.backup.database.shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="找不到 pg_dump：请安装"):
        database.tool("pg_dump")
    if database.kind_of(db.engine) != "postgresql":
        return  # SQLite needs no client tool: the backup itself goes on
    result = invoke(app, "backup", tmp_path / "b.tar")
    assert result.exit_code == 1
    assert "找不到 pg_dump：请安装与服务器版本相同的 PostgreSQL 客户端" in result.output
    assert not list(tmp_path.glob("*.tar*")) and not list(tmp_path.glob(".*part"))


def test_copying_the_sqlite_file_misses_committed_rows_the_backup_keeps(app, city, shop, tmp_path):
    if database.kind_of(db.engine) != "sqlite":
        pytest.skip("SQLite only: the rows still in the write-ahead log")
    submit_one(app, city.inspector.id, shop.id, 1)
    copied = tmp_path / "cp.db"
    shutil.copy(db.engine.url.database, copied)  # what `cp fangxin.db` does under load
    with closing(sqlite3.connect(copied)) as conn:
        assert conn.execute("SELECT count(*) FROM inspection").fetchone() == (0,)
    manifest = manifest_of(backup(app, tmp_path / "b.tar"))
    assert manifest["database"]["counts"]["inspection"] == 1


def test_restore_refuses_a_postgresql_database_other_sessions_use(
    app, city, shop, tmp_path, monkeypatch
):
    if database.kind_of(db.engine) != "postgresql":
        pytest.skip("PostgreSQL only: pg_restore would wait for ever on another session's lock")
    monkeypatch.setattr(database, "SESSIONS_GONE_WAIT", 0.5)
    submit_one(app, city.inspector.id, shop.id, 1)
    archive = backup(app, tmp_path / "b.tar")
    db.session.remove()
    engine = create_engine(db.engine.url)
    try:
        with engine.connect() as other, other.begin():  # an app server mid-request
            other.execute(text("SELECT count(*) FROM inspection"))
            result = restore(app, archive, "--force")
    finally:
        engine.dispose()
    assert result.exit_code == 1
    assert "数据库还有 1 个其他连接：请先停止应用服务（gunicorn 等）再恢复" in result.output
    assert restore(app, archive, "--force").exit_code == 0


def test_restore_checks_the_row_counts_against_the_manifest(app, city, shop, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    good = backup(app, tmp_path / "good.tar")
    submit_one(app, city.inspector.id, shop.id, 2)
    db.session.remove()

    def more_rows(m):
        m["database"]["counts"]["inspection"] += 1

    result = restore(
        app, rewrite(good, tmp_path / "counts.tar", edit_manifest(more_rows)), "--force"
    )
    assert result.exit_code == 1
    assert "数据与备份清单不符（表: 清单 → 实际）：inspection: 2 → 1" in result.output
    # SQLite: checked on the extracted copy, before the swap; PostgreSQL: after pg_restore
    assert inspections() == (2 if database.kind_of(db.engine) == "sqlite" else 1)


def test_a_database_that_cannot_be_read_is_named_in_chinese(database, tmp_path, monkeypatch):
    from app import create_app
    from tests.conftest import base_config

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is no database " * 500)
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
    tools = "数据库无法访问或出错：" if shutil.which("pg_dump") else "找不到 pg_dump"
    for url, expected in ((f"sqlite:///{garbage}", "数据库无法访问或出错："), (unreachable, tools)):
        monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path / "instance"))
        broken = create_app(base_config(url, tmp_path / "instance"))
        result = invoke(broken, "backup", tmp_path / "b.tar")
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert expected in result.output, result.output
        assert restore(broken, tmp_path / "b.tar").exit_code == 1  # no archive was written
        with broken.app_context():
            db.engine.dispose()


def test_a_backup_of_an_older_schema_is_restored_and_says_to_upgrade(app, city, shop, tmp_path):
    submit_one(app, city.inspector.id, shop.id, 1)
    good = backup(app, tmp_path / "good.tar")
    db.session.remove()

    def older(m):
        m["database"]["revision"] = "0007_uploads"

    result = restore(app, rewrite(good, tmp_path / "older.tar", edit_manifest(older)), "--force")
    assert result.exit_code == 0, result.output
    assert "备份的数据库版本 0007_uploads 旧于本程序" in result.output
    assert "恢复后请运行 flask db upgrade" in result.output


def test_restore_waits_for_a_session_that_is_closing(app, city, shop, tmp_path):
    """An app server stopped a moment ago (or pg_dump just done) may still be listed."""
    if database.kind_of(db.engine) != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no sessions to wait for")
    submit_one(app, city.inspector.id, shop.id, 1)
    archive = backup(app, tmp_path / "b.tar")
    db.session.remove()
    engine = create_engine(db.engine.url)
    other = engine.connect()
    other.execute(text("SELECT 1"))
    closing = threading.Timer(1.0, lambda: (other.close(), engine.dispose()))
    closing.start()
    try:
        result = restore(app, archive, "--force")
    finally:
        closing.join()
    assert result.exit_code == 0, result.output
