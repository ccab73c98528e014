"""The database half: a consistent copy out of the live database, and back into place."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

from app.backup import BackupError
from app.extensions import db
from app.models import Inspection, Photo

KINDS = ("sqlite", "postgresql")
DUMP_NAMES = {"sqlite": "database/fangxin.db", "postgresql": "database/fangxin.dump"}


@dataclass
class Facts:
    """What one consistent view of the database holds: row counts and referenced files."""

    counts: dict[str, int]
    revision: str | None
    photos: set[str] = field(default_factory=set)
    signatures: set[str] = field(default_factory=set)
    server: str = ""


def kind_of(engine: Engine) -> str:
    """'sqlite' or 'postgresql'; any other database is refused."""
    name = engine.dialect.name
    if name not in KINDS:
        raise BackupError(_("不支持备份这种数据库：%(name)s", name=name))
    return name


def facts(conn: Connection, with_files: bool = True) -> Facts:
    """Counts of every app table, the migration revision and the files rows refer to."""
    present = set(inspect(conn).get_table_names())
    counts = {
        t.name: conn.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name in present
    }
    revision = None
    if "alembic_version" in present:
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    found = Facts(counts, revision)
    if with_files and {"photo", "inspection"} <= present:
        found.photos = set(conn.scalars(select(Photo.sha256).distinct()))
        keys = select(Inspection.signature_key).where(Inspection.signature_key.is_not(None))
        found.signatures = set(conn.scalars(keys.distinct()))
    return found


def is_empty(engine: Engine) -> bool:
    """Whether no table but alembic_version holds a row."""
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        return not any(conn.scalar(text(f"SELECT 1 FROM {quote(n)} LIMIT 1")) for n in names)


def target_facts(engine: Engine) -> Facts:
    """The facts of the database the app is configured for (after a restore)."""
    engine.dispose()
    with engine.connect() as conn:
        return facts(conn, with_files=False)


# --- SQLite --------------------------------------------------------------------------------


def sqlite_path(engine: Engine) -> Path:
    """The file of a SQLite database URL (an in-memory database has none)."""
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError(_("内存中的 SQLite 数据库无法备份或恢复"))
    return Path(name)


def file_facts(path: Path) -> Facts:
    """The facts of a SQLite file that is not the live database."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return facts(conn)
    except Exception as exc:  # sqlite3 says "file is not a database" in many ways
        raise BackupError(_("备份中的数据库文件无法读取：%(error)s", error=exc)) from exc
    finally:
        engine.dispose()


def sqlite_snapshot(engine: Engine, out: Path) -> Facts:
    """Copy the live file with the online backup API (one step, so one consistent view)."""
    live = sqlite_path(engine)
    if not live.is_file():
        raise BackupError(_("找不到数据库文件：%(path)s", path=live))
    with closing(sqlite3.connect(live, timeout=30)) as src, closing(sqlite3.connect(out)) as dst:
        src.backup(dst)
    found = file_facts(out)
    with closing(sqlite3.connect(out)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    found.server = f"SQLite {sqlite3.sqlite_version}"
    return found


def sqlite_restore(engine: Engine, snapshot: Path) -> None:
    """Write the backup's pages over the live file through the backup API (WAL-safe)."""
    target = sqlite_path(engine)
    target.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    try:
        src, dst = sqlite3.connect(snapshot), sqlite3.connect(target, timeout=10)
        with closing(src), closing(dst):
            src.backup(dst)
    except sqlite3.OperationalError as exc:
        raise BackupError(
            _("数据库正被使用（%(error)s）：请先停止应用服务再恢复", error=exc)
        ) from exc
    finally:
        engine.dispose()


# --- PostgreSQL ----------------------------------------------------------------------------


def tool(name: str) -> str:
    """The path of pg_dump or pg_restore, or a Chinese error naming the package to install."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "找不到 %(tool)s：请安装与服务器版本相同的 PostgreSQL 客户端"
                "（如 apt-get install postgresql-client）后再试",
                tool=name,
            )
        )
    return found


def libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The libpq URI of the engine (password in PGPASSWORD, not on the command line)."""
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def run(args: list[str], env: dict[str, str]) -> str:
    """Run a PostgreSQL client tool; its stderr becomes the error message when it fails."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-800:]
        name = Path(args[0]).name
        raise BackupError(_("%(tool)s 失败：%(detail)s", tool=name, detail=detail))
    return done.stdout


@contextmanager
def exported_snapshot(engine: Engine) -> Iterator[tuple[str, Facts]]:
    """A repeatable-read transaction kept open, its snapshot id and what it sees."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            found = facts(conn)
            found.server = "PostgreSQL " + str(conn.scalar(text("SHOW server_version")))
            yield snapshot, found


def pg_snapshot(engine: Engine, out: Path) -> Facts:
    """pg_dump --format=custom of exactly the snapshot the counts were taken in."""
    pg_dump = tool("pg_dump")
    uri, env = libpq(engine)
    with exported_snapshot(engine) as (snapshot, found):
        args = [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={out}", uri]
        run(args, env)
    return found


def pg_check(dump: Path) -> None:
    """pg_restore --list reads the whole table of contents: a damaged dump fails here."""
    run([tool("pg_restore"), "--list", str(dump)], dict(os.environ))


SESSIONS_GONE_WAIT = 5.0  # seconds: a backend outlives its client's disconnect a little


def other_sessions(engine: Engine) -> int:
    """Client sessions on the same database besides ours (an app server still running),
    after waiting a few seconds for those just closed (ours, pg_dump's) to be gone."""
    deadline = time.monotonic() + SESSIONS_GONE_WAIT
    with engine.connect() as conn:
        while True:
            busy = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            )
            if not busy or time.monotonic() >= deadline:
                return busy
            conn.rollback()  # a fresh snapshot of pg_stat_activity next time
            time.sleep(0.1)


def pg_restore(engine: Engine, dump: Path) -> None:
    """pg_restore --clean --if-exists in one transaction: a failure leaves the old database.

    The dump sets lock_timeout = 0 itself, so a session still holding a table would make
    the restore wait for ever: other sessions are refused first.
    """
    uri, env = libpq(engine)
    engine.dispose()  # our own pooled connections are not the ones that count
    if busy := other_sessions(engine):
        engine.dispose()
        raise BackupError(
            _("数据库还有 %(n)d 个其他连接：请先停止应用服务（gunicorn 等）再恢复", n=busy)
        )
    engine.dispose()
    args = [tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", f"--dbname={uri}", str(dump)]  # fmt: skip
    run(args, env)


def snapshot(engine: Engine, out: Path) -> Facts:
    """A consistent copy of the live database at out, and what that copy holds."""
    if kind_of(engine) == "sqlite":
        return sqlite_snapshot(engine, out)
    return pg_snapshot(engine, out)


def check_copy(kind: str, path: Path) -> Facts | None:
    """Read the extracted copy before anything is replaced (SQLite: its facts)."""
    if kind == "sqlite":
        return file_facts(path)
    pg_check(path)
    return None


def restore(engine: Engine, path: Path) -> None:
    """Put the extracted copy in place of the configured database."""
    if kind_of(engine) == "sqlite":
        sqlite_restore(engine, path)
    else:
        pg_restore(engine, path)
