"""Shared fixtures: an app on a fresh database per test, users per role, factories.

The factories themselves are plain functions in tests/factories.py: inspections are built
by one, make_inspection, as rows (hand-built datasets) or through the app's services.

The suite runs on SQLite by default. With FANGXIN_TEST_DATABASE_URL pointing at a
PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres) it
creates its own database there, migrates it once, empties it before every test and
drops it at the end.
"""

import io
import os
import shutil
import time
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.routing.rules import Rule
from werkzeug.test import encode_multipart

from app import create_app
from app.extensions import db
from tests import factories
from tests.photos.files import camera_exif, encode, photo_like

PG_URL = os.environ.get("FANGXIN_TEST_DATABASE_URL", "")


def reuse_url_builders() -> None:
    """Build each URL rule's builder once for the whole run, not once per app.

    create_app spent ~150 ms of its ~160 compiling the same 170 builders (werkzeug writes and
    compiles a function per rule) and the suite makes an app per test. The builder depends
    only on the rule's text, its parsed parts and defaults; it reads the rule's converters
    through its first argument at call time, so one compiled function serves every copy.
    """
    compile_builder = Rule._compile_builder
    builders: dict = {}

    def cached(self, append_unknown: bool = True):
        defaults = sorted((k, repr(v)) for k, v in (self.defaults or {}).items())
        key = (self.rule, self.host, self.subdomain, tuple(self._trace), tuple(defaults))
        key += (append_unknown,)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = cached


reuse_url_builders()


def migrate_to_head(url: str, instance: Path) -> None:
    """Build the schema the way production does: through the migrations."""
    from flask_migrate import upgrade

    app = create_app(base_config(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "FANGXIN_UPLOAD_DIR": str(instance / "uploads"),
        "FANGXIN_PUBLIC_BASE_URL": "https://fangxin.example",
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """A migrated template database: a SQLite file, or a PostgreSQL database of our own."""
    instance = tmp_path_factory.mktemp("template")
    if not PG_URL:
        path = instance / "template.db"
        migrate_to_head(f"sqlite:///{path}", instance)
        yield {"kind": "sqlite", "template": path}
        return
    name = f"fangxin_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, instance)
    found = {"kind": "postgresql", "url": url}
    yield found
    if "engine" in found:
        found["engine"].dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_url(database, tmp_path: Path) -> str:
    """A database URL whose contents are empty but for the schema."""
    if database["kind"] == "sqlite":
        path = tmp_path / "fangxin.db"
        shutil.copy(database["template"], path)
        return f"sqlite:///{path}"
    # No pool: a connection left open would count as another session (restore refuses those).
    engine = database.get("engine") or database.setdefault(
        "engine", create_engine(database["url"], poolclass=NullPool)
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(database.get("emptying") or emptying_sql(database, conn))
    return database["url"]


def emptying_sql(database, conn) -> str:
    """The statements that empty every table and restart every sequence, kept for the session.

    DELETE with the foreign-key triggers off (the tests' superuser may) takes ~5 ms where a
    TRUNCATE of the 38 tables took ~200 ms a test: new files for each table and index.
    """
    names = "SELECT {0} FROM {1} WHERE schemaname = 'public'"
    tables = [r[0] for r in conn.execute(text(names.format("tablename", "pg_tables")))]
    sequences = [r[0] for r in conn.execute(text(names.format("sequencename", "pg_sequences")))]
    deletes = "".join(f'DELETE FROM "{t}"; ' for t in tables if t != "alembic_version")
    restarts = "".join(f"SELECT setval('\"{s}\"', 1, false); " for s in sequences)
    database["emptying"] = (
        f"SET session_replication_role = replica; {deletes}{restarts}"
        "SET session_replication_role = DEFAULT;"
    )
    return database["emptying"]


class RequestClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test itself holds an app context for its setup; without this, requests would
    share its `g` (cached user, locale) and its database session, hiding a missing commit.
    """

    def open(self, *args, **kwargs):
        db.session.commit()  # what the test set up is visible to the request
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database, tmp_path, monkeypatch):
    """The app on a fresh database, its instance folder in tmp_path, an app context pushed."""
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(base_config(fresh_url(database, tmp_path), tmp_path / "instance"))
    app.test_client_class = RequestClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def city(app):
    """Two street offices with a community each, and one user per role.

    The inspector covers only the first street office (新区街道).
    """
    return factories.make_city()


@pytest.fixture
def login(client):
    """Sign the test client in as a user; returns the response of the login POST."""

    def sign_in(user, password=factories.PASSWORD):
        return client.post("/login", data={"username": user.username, "password": password})

    return sign_in


@pytest.fixture
def make_establishment(city):
    """Factory: an establishment (default a rural shop in the inspector's area)."""
    return lambda **kw: factories.make_establishment(city, **kw)


@pytest.fixture
def shop(make_establishment):
    """A rural shop in the inspector's area (five goods applies)."""
    return make_establishment(name="石河村便民店")


@pytest.fixture
def workshop(make_establishment):
    """A small food workshop (小作坊) in the inspector's area: registered, "three small" applies."""
    return make_establishment(category="small_workshop", name="老王馒头坊")


# --- inspections ---------------------------------------------------------------------------


@pytest.fixture
def make_inspection(city):
    """Factory: an inspection of an establishment, as rows or through the services.

    make_inspection(est, programme=None, when=None, *, inspector, status, answers, photos,
    via="rows" | "services", commit, **columns); see factories.make_inspection.
    """

    def make(est, *args, **kw):
        return factories.make_inspection(city, est, *args, **kw)

    return make


@pytest.fixture
def submitted(login, city, shop, make_inspection):
    """The inspector's five-goods inspection of `shop`, submitted through the services.

    FAIL_ITEM failed with a note and a written deadline (基本符合, one ledger entry); the
    client is left signed in as the inspector.
    """
    login(city.inspector)
    answers = factories.answers_for("five_goods", note="健康证过期")
    return make_inspection(shop, "five_goods", via="services", answers=answers)


@pytest.fixture
def draft(shop, make_inspection):
    """The inspector's five-goods draft of `shop`, with DRAFT_ANSWERS saved as rows."""
    return make_inspection(shop, "five_goods", status="draft", answers=factories.DRAFT_ANSWERS)


@pytest.fixture
def start(client):
    """Start (or resume) a draft through the establishment page's button; returns its id."""

    def go(est, code="five_goods"):
        response = client.post(f"/field/establishments/{est.id}/inspect/{code}")
        assert response.status_code == 302, response.status_code
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    return go


# --- registers -----------------------------------------------------------------------------


@pytest.fixture
def make_registration(city):
    """Factory: an issued registration row with given dates (no service rules applied)."""
    return factories.make_registration


# --- checklist programmes ------------------------------------------------------------------


@pytest.fixture(scope="session")
def shipped():
    """The programmes shipped under app/checklists/."""
    from app.checklists import load_programmes

    return load_programmes()


@pytest.fixture
def demo_toml():
    """A minimal valid programme (file rural_shop, rule general, items d.s1.01 key, d.s1.02)."""
    return factories.DEMO_TOML


@pytest.fixture
def make_programme():
    """Build a programme from TOML text."""
    return factories.make_programme


# --- photos --------------------------------------------------------------------------------


@pytest.fixture
def jpeg() -> bytes:
    """A plain 800x600 photo."""
    return encode(photo_like((800, 600)), "JPEG", quality=90, exif=camera_exif())


@pytest.fixture
def upload(client):
    """POST one file as photos.js does (JSON), or as a plain form (json=False)."""

    def post(url: str, data: bytes, name: str = "photo.jpg", json: bool = True, **extra):
        headers = {"Accept": "application/json"} if json else {"Accept": "text/html"}
        fields = {"photo": FileStorage(io.BytesIO(data), filename=name), **extra}
        # Encoded in memory: the test client would spool a big body to a temp file it
        # never closes (a ResourceWarning, an error in this suite).
        boundary, body = encode_multipart(MultiDict(fields))
        ctype = f"multipart/form-data; boundary={boundary}"
        return client.post(url, data=body, content_type=ctype, headers=headers)

    return post


@pytest.fixture
def full_disk(monkeypatch):
    """A photo store with no room: every storage write raises OSError(ENOSPC).

    Photos, thumbnails, signatures and resumable uploads' chunks all go through
    LocalStorage.put, so they all fail as a full disk makes them fail.
    """
    import errno

    from app.photos.storage import LocalStorage

    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStorage, "put", no_room)
    return "存储空间已满，请联系管理员"


# --- browser -------------------------------------------------------------------------------


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free loopback port, in a background thread."""
    from tests.live import LiveServer

    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; browser tests skip without it unless FANGXIN_REQUIRE_BROWSER=1."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("FANGXIN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (FANGXIN_REQUIRE_BROWSER=1) but not installed")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    return CHROMIUM


@pytest.fixture
def browser_factory(chromium_path):
    """Launch Chromium through Playwright with extra args; closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = []

        def launch(extra_args=()):
            browser = pw.chromium.launch(
                executable_path=chromium_path, args=[*CHROMIUM_ARGS, *extra_args]
            )
            launched.append(browser)
            return browser

        yield launch
        for browser in launched:
            browser.close()


@pytest.fixture
def phone(browser_factory, live_server):
    """A phone-sized page (390x844, touch) in Chinese, pointed at the live server."""
    browser = browser_factory()
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def browser_login(phone, live_server):
    """Sign the phone page in as a user through the login form."""

    def sign_in(user, password=factories.PASSWORD):
        phone.goto("/login")
        phone.fill("#username", user.username)
        phone.fill("#password", password)
        phone.click("main button[type=submit]")
        phone.wait_for_load_state()
        return phone

    return sign_in


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is truthy.

    page.wait_for_function polls with eval in the page, which the app's CSP forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(100)


def answer_all(page, fail=factories.FAIL_ITEM):
    """Tap pass on every five-goods item on the checklist page, fail on `fail`."""
    from app.checklists import get_programme

    for item in get_programme("five_goods").items:
        choice = "fail" if item.id == fail else "pass"
        page.click(f'label[for="r-{item.id}-{choice}"]')


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def screenshot(page, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ (ignored by git) for a person to look at."""
    out = Path(__file__).parent / "artifacts"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
