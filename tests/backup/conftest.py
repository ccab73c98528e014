"""Backup fixtures: a writer that keeps submitting inspections with photos, a second instance."""

import io
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.inspections import signatures
from app.inspections.drafts import save_answers, start_or_resume_draft
from app.inspections.submission import submit
from app.models import Establishment, User
from app.photos.service import attach_photo
from tests.conftest import base_config, fresh_url
from tests.factories import FAIL_ITEM, PEOPLE, answers_for


@pytest.fixture(autouse=True)
def pg_tools(database):
    """On PostgreSQL the backup needs the client tools; skip (with the reason) without them."""
    if database["kind"] == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed (apt-get install postgresql-client)")


def jpeg(n: int) -> bytes:
    """A small photo, different for every n."""
    image = Image.new("RGB", (160, 120), (n % 256, (n // 256) % 256, 90))
    ImageDraw.Draw(image).text((10, 10), str(n), fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def signature(n: int) -> str:
    """A signature data URL, different for every n."""
    image = Image.new("RGBA", (120, 40), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(5, 35), (n % 110 + 5, 5), (115, 30)], fill="black", width=3)
    ImageDraw.Draw(image).text((2, 2), str(n), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    import base64

    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def submit_one(app, inspector_id: int, establishment_id: int, n: int) -> str:
    """One inspection the app's way: draft, a photo on the failed item, signature, submit."""
    inspector = db.session.get(User, inspector_id)
    est = db.session.get(Establishment, establishment_id)
    draft = start_or_resume_draft(inspector, est, "five_goods")
    db.session.commit()
    attach_photo(inspector, est, jpeg(n), kind="item", inspection=draft, item_id=FAIL_ITEM,
                 config=app.config)  # fmt: skip
    key = signatures.store(signature(n))
    save_answers(draft, answers_for("five_goods", note="健康证过期"), None, PEOPLE, key)
    db.session.commit()
    return submit(inspector, draft).client_uuid


class Writer(threading.Thread):
    """Keeps submitting inspections in its own app context; `committed` grows after each commit."""

    def __init__(self, app, inspector_id: int, establishment_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.ids = app, (inspector_id, establishment_id)
        self.committed: list[str] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        with self.app.app_context():
            try:
                n = 0
                while not self.stop.is_set():
                    n += 1
                    done = submit_one(self.app, *self.ids, n)
                    with self.progress:
                        self.committed.append(done)
                        self.progress.notify_all()
            except BaseException as exc:  # reported by the test
                self.errors.append(exc)
            finally:
                db.session.remove()

    def wait_for(self, count: int, timeout: float = 30) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: len(self.committed) >= count or self.errors,
                                          timeout), "writer too slow"  # fmt: skip
        assert not self.errors, self.errors

    def finish(self) -> None:
        self.stop.set()
        self.join(30)
        assert not self.errors, self.errors


@pytest.fixture
def writer(app, city, shop):
    """A writer thread (not started) submitting the inspector's inspections of `shop`."""
    thread = Writer(app, city.inspector.id, shop.id)
    yield thread
    if thread.is_alive():
        thread.finish()


@pytest.fixture
def target(database, tmp_path, monkeypatch):
    """A second, fresh instance (own instance folder, own database) to restore into."""
    folder = tmp_path / "target"
    folder.mkdir()
    if database["kind"] == "sqlite":
        url, drop = fresh_url(database, folder), None
    else:
        name = f"fangxin_restore_{uuid.uuid4().hex[:10]}"
        server = create_engine(database["url"], isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(database["url"]).set(database=name).render_as_string(hide_password=False)
        drop = (server, name)
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(folder / "instance"))
    second = create_app(base_config(url, folder / "instance"))
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()
    if drop:
        server, name = drop
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def upload_dir(app) -> Path:
    return Path(app.config["FANGXIN_UPLOAD_DIR"])
