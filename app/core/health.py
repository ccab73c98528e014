"""The health check's facts: is the database reachable, is there room for photos.

Cheap enough for a load balancer to ask every few seconds: one short query on a
connection of its own and one statvfs, no templates, no session.

The probe is bounded in time (FANGXIN_HEALTH_DB_TIMEOUT seconds, default 2): a database
that does not answer must make the check fail fast, not hold the request (and the load
balancer's own timeout) for the TCP timeout or the app's 15 s SQLite busy wait. So it does
not use the app's pool (whose checkout waits up to 30 s when every connection is busy) but
an engine of its own without a pool: PostgreSQL gets `connect_timeout` and a
`statement_timeout`, SQLite a short `busy_timeout` and a query that must read the file
(`SELECT 1` alone never takes a lock). A thread deadline covers what those do not (a name
lookup that hangs): past it the check answers unreachable and the thread ends on its own.
"""

from __future__ import annotations

import logging
import math
import threading

from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.extensions import db

MB = 1024 * 1024
log = logging.getLogger(__name__)


def probe_engine(timeout: float) -> Engine:
    """The app's database with short timeouts and no pool, made once per app."""
    engine = current_app.extensions.get("fangxin_health_engine")
    if engine is None:
        url = db.engine.url
        if url.get_backend_name() == "sqlite":
            connect_args = {"timeout": timeout}
        elif url.get_backend_name() == "postgresql":
            connect_args = {
                "connect_timeout": max(1, math.ceil(timeout)),  # libpq: whole seconds, ≥ 1
                "options": f"-c statement_timeout={int(timeout * 1000)}",
            }
        else:
            connect_args = {}
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        current_app.extensions["fangxin_health_engine"] = engine
    return engine


def probe(engine: Engine, timeout: float) -> None:
    """Ask the database something it must answer from its files; raises when it cannot."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # The app's connect hook sets a 15 s busy wait on every connection: not here.
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            conn.execute(text("SELECT count(*) FROM sqlite_master"))
        else:
            conn.execute(text("SELECT 1"))


def database_reachable() -> bool:
    """Whether the database answers within FANGXIN_HEALTH_DB_TIMEOUT seconds."""
    timeout = float(current_app.config["FANGXIN_HEALTH_DB_TIMEOUT"])
    engine = probe_engine(timeout)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            probe(engine, timeout)
        except (SQLAlchemyError, OSError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=run, name="healthz-probe", daemon=True)
    worker.start()
    worker.join(timeout + 1)
    if worker.is_alive():
        log.error("health check: database did not answer within %.1f s", timeout + 1)
        return False
    if failure:
        log.error("health check: database unreachable: %s", failure[0])
        return False
    return True


def report(free_bytes: int | None, min_free_mb: int) -> tuple[dict, bool]:
    """(the JSON body, healthy): healthy when the database answers and free ≥ the threshold.

    free_bytes is None for a store with no free-space figure (an object store).
    """
    database = database_reachable()
    room = free_bytes is None or free_bytes >= min_free_mb * MB
    if not room:
        log.error("health check: photo store has %d MB free", free_bytes // MB)
    body = {
        "status": "ok" if database and room else "fail",
        "database": "ok" if database else "unreachable",
        "storage": {
            "status": "ok" if room else "low",
            "free_mb": None if free_bytes is None else free_bytes // MB,
            "min_free_mb": min_free_mb,
        },
    }
    return body, database and room
