"""Data versions: a counter per table, bumped in the transaction of every write to it.

A cached figure (app.indicators.cache) stores the versions of the tables its statement reads,
and is used only while they are unchanged, so it always equals the live computation.

Every INSERT, UPDATE or DELETE run through SQLAlchemy (ORM flush, Core, text or
exec_driver_sql) notes its table on the connection (before_cursor_execute); at commit the
noted tables' counters go up by one, inside the committing transaction and in name order (so
two writers never wait on each other's counters crosswise), then the note is cleared; a
rollback clears it. The tables written most are versioned per street office when an ORM flush
writes them (app.models.data_partition). Writes that bypass SQLAlchemy (a raw COPY, psql)
must bump by hand: bump(connection, tables).

UNTRACKED tables are written on every request or hold no domain facts (sign-ins, throttles,
the cache itself): they have no counter, and no figure may read them (tested for the catalogue).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import JSON, BigInteger, String, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.data_partition import PARTITIONED, attributed, forget, partition_names
from app.models.types import UTCDateTime, utcnow


class DataVersion(db.Model):
    __tablename__ = "data_version"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


UNTRACKED = frozenset(
    {
        "data_version",
        "rollup_cache",
        "user_session",
        "login_throttle",
        "lookup_attempt",
        "alembic_version",
    }
)
NOTE = "fangxin_written_tables"  # tables written outside ORM flushes, or not partitioned
FLUSHED = "fangxin_flushed_tables"  # partitioned tables written by flushes (data_partition)
READY: weakref.WeakSet = weakref.WeakSet()  # engines whose database has data_version
WRITE = re.compile(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)
DROPPED = re.compile(r"\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?data_version\b", re.I)
BUMP = text(
    "INSERT INTO data_version (table_name, version) VALUES (:t, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET version = data_version.version + 1"
)


def written_tables(conn: Connection) -> set[str]:
    """The tracked tables written in the connection's open transaction, not yet bumped."""
    return (conn.info.get(NOTE) or set()) | (conn.info.get(FLUSHED) or set())


def bump(conn: Connection, tables: Iterable[str]) -> None:
    """Add one to the counters of these tables, in name order, in the open transaction."""
    for name in sorted(set(tables) - UNTRACKED):  # 'table@top' too (app.models.data_partition)
        conn.execute(BUMP, {"t": name})


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, cursor, statement, parameters, context, executemany) -> None:
    found = WRITE.match(statement)
    table = found.group(1).lower() if found else None
    if table in PARTITIONED and attributed(conn, context, table):
        conn.info.setdefault(FLUSHED, set()).add(table)
    elif table and table not in UNTRACKED:
        conn.info.setdefault(NOTE, set()).add(table)
    elif DROPPED.match(statement):  # a downgrade: look again before the next bump
        READY.discard(conn.engine)


def has_counters(conn: Connection) -> bool:
    """data_version exists (not before its migration has run: those commits bump nothing)."""
    if conn.engine not in READY and inspect(conn).has_table("data_version"):
        READY.add(conn.engine)
    return conn.engine in READY


@event.listens_for(Engine, "commit")
def _bump_on_commit(conn) -> None:
    whole, flushed = conn.info.pop(NOTE, set()), conn.info.pop(FLUSHED, set())
    if (whole or flushed) and has_counters(conn):
        bump(conn, whole | partition_names(conn, flushed - whole))
    forget(conn)


@event.listens_for(Engine, "rollback")
def _forget_on_rollback(conn) -> None:
    for name in (NOTE, FLUSHED):
        conn.info.pop(name, None)
    forget(conn)


@event.listens_for(Engine, "begin")
def _forget_on_begin(conn) -> None:
    _forget_on_rollback(conn)


class RollupCache(db.Model):
    """One roll-up statement's figures for one set of parameters (app.indicators.cache)."""

    __tablename__ = "rollup_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of SQL + values
    versions: Mapped[dict] = mapped_column(JSON)  # {table: version} when computed
    figures: Mapped[list] = mapped_column(JSON)  # [[street office id, num, den], ...]
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
