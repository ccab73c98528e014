"""/healthz: database reachable and room in the photo store, as JSON; 503 when not."""

from __future__ import annotations

import socket
import sqlite3
import time

from app import create_app
from app.extensions import db
from tests.conftest import base_config


def test_healthy_says_so_with_the_free_space(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["storage"]["status"] == "ok" and body["storage"]["free_mb"] > 0
    assert body["storage"]["min_free_mb"] == 500


def test_below_the_threshold_is_503(app, client):
    free = client.get("/healthz").get_json()["storage"]["free_mb"]
    app.config["FANGXIN_HEALTH_MIN_FREE_MB"] = free + 1_000_000
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail" and body["storage"]["status"] == "low"
    assert body["database"] == "ok"


def test_an_unreachable_database_is_503(tmp_path):
    url = f"sqlite:///{tmp_path / 'no such folder' / 'fangxin.db'}"
    broken = create_app(base_config(url, tmp_path / "instance"))
    with broken.app_context():
        response = broken.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["database"] == "unreachable"
        db.engine.dispose()


def test_an_object_store_reports_no_free_space_figure(app, client):
    from app.photos.storage import free_bytes

    assert free_bytes({"FANGXIN_STORAGE": "s3"}) is None
    assert free_bytes(app.config) > 0


def timed_healthz(app) -> tuple[int, dict, float]:
    with app.app_context():
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        return response.status_code, response.get_json(), time.monotonic() - started


def test_a_database_server_that_does_not_answer_is_503_within_the_bound(tmp_path):
    """A PostgreSQL address whose TCP handshake succeeds but no server ever answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # never accepted, never answered: connects hang without a timeout
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/fangxin"
        config = base_config(url, tmp_path / "instance") | {"FANGXIN_HEALTH_DB_TIMEOUT": 1}
        status, body, took = timed_healthz(create_app(config))
    assert status == 503 and body["database"] == "unreachable"
    assert took < 3, took


def test_a_locked_sqlite_database_is_503_within_the_bound_not_the_busy_wait(tmp_path):
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")  # readers too are kept out, WAL or not
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE held (id INTEGER)")
    try:
        app = create_app(base_config(f"sqlite:///{path}", tmp_path / "instance"))
        status, body, took = timed_healthz(app)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert status == 503 and body["database"] == "unreachable"
    assert took < 4.5, took  # 2 s default bound (+1 s deadline), never the 15 s busy wait
    status, body, _ = timed_healthz(app)  # the lock gone, the next check is healthy again
    assert status == 200 and body["database"] == "ok"
