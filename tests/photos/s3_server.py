"""A local S3-protocol server for the storage tests (moto's server mode, a stand-in for MinIO).

FANGXIN_TEST_S3_URL points the tests at a server already running (e.g. a MinIO, with
FANGXIN_TEST_S3_ACCESS_KEY / FANGXIN_TEST_S3_SECRET_KEY); without it a moto server is started
on a free loopback port for the session. Without moto the S3 tests are skipped, unless
FANGXIN_REQUIRE_S3=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid

import pytest

BUCKET = "fangxin-test"


def require_moto():
    """moto's ThreadedMotoServer, or a skip (a failure under FANGXIN_REQUIRE_S3=1)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        reason = "moto is not installed (pip install -r requirements-dev.txt): no local S3 server"
        if os.environ.get("FANGXIN_REQUIRE_S3") == "1":
            pytest.fail(f"FANGXIN_REQUIRE_S3=1 but {reason}")
        pytest.skip(reason)
    return ThreadedMotoServer


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of an S3-protocol server for this test session."""
    url = os.environ.get("FANGXIN_TEST_S3_URL")
    if url:
        yield url
        return
    server = require_moto()(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    server._server.server_close()  # stop() leaves the listening socket open


@pytest.fixture(scope="session")
def s3_bucket(s3_endpoint):
    """The session's bucket, created once; the shared boto3 clients closed at the end."""
    from app.photos import s3

    config = s3_settings(s3_endpoint, "")
    s3.s3_storage(config).ensure_bucket()
    yield config
    s3.close_clients()


def s3_settings(endpoint: str, prefix: str) -> dict:
    """App settings selecting the S3 store at endpoint, objects under prefix."""
    return {
        "FANGXIN_STORAGE": "s3",
        "FANGXIN_S3_ENDPOINT_URL": endpoint,
        "FANGXIN_S3_BUCKET": BUCKET,
        "FANGXIN_S3_ACCESS_KEY": os.environ.get("FANGXIN_TEST_S3_ACCESS_KEY", "testing"),
        "FANGXIN_S3_SECRET_KEY": os.environ.get("FANGXIN_TEST_S3_SECRET_KEY", "testing"),
        "FANGXIN_S3_REGION": "us-east-1",
        "FANGXIN_S3_PREFIX": prefix,
    }


@pytest.fixture
def s3_config(s3_bucket):
    """Settings for the S3 store, under a prefix of this test's own (nothing shared)."""
    return {**s3_bucket, "FANGXIN_S3_PREFIX": f"t-{uuid.uuid4().hex[:12]}/"}


def object_names(config: dict) -> list[str]:
    """Every object under the config's prefix, relative to it, sorted."""
    from app.photos import s3

    client = s3.client_for(config)
    prefix = config["FANGXIN_S3_PREFIX"]
    found = client.list_objects_v2(Bucket=config["FANGXIN_S3_BUCKET"], Prefix=prefix)
    return sorted(item["Key"][len(prefix) :] for item in found.get("Contents", []))
