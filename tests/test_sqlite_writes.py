"""SQLite under many writers: a write waits for the lock (busy_timeout) instead of failing."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Jurisdiction


@pytest.fixture
def sqlite_path(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    return db.engine.url.database


def test_writers_wait_up_to_15_seconds(sqlite_path):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_a_write_waits_for_another_writers_commit(sqlite_path):
    # Another worker holds the write lock for a while (a submit being written).
    other = sqlite3.connect(sqlite_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO jurisdiction (code, name, kind, active) VALUES ('A', 'a', 'street', 1)"
    )
    done = threading.Event()

    def commit_later() -> None:
        time.sleep(0.5)
        other.execute("COMMIT")
        done.set()

    thread = threading.Thread(target=commit_later)
    thread.start()
    try:
        began = time.monotonic()
        db.session.add(Jurisdiction(code="B", name="b", kind="street"))
        db.session.commit()
        waited = time.monotonic() - began
    finally:
        thread.join()
        other.close()
    assert done.is_set() and waited >= 0.4
    codes = db.session.scalars(db.select(Jurisdiction.code).order_by(Jurisdiction.code)).all()
    assert codes == ["A", "B"]
