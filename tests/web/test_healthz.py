"""/healthz: database reachable and room in the photo store, as JSON; 503 when not."""

from __future__ import annotations

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
