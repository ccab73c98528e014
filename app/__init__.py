"""Fangxin: food-safety inspections for the Yima assurance campaign."""

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import Defaults, from_environment, https_settings
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment (or test_config)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("FANGXIN_INSTANCE_PATH") or None,
    )
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment())
    else:
        app.config.update(test_config)
    app.config.update(https_settings(app.config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'fangxin.db'}"
    )
    app.config.setdefault("FANGXIN_UPLOAD_DIR", str(Path(app.instance_path) / "uploads"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    trust_proxies(app)
    init_extensions(app)
    check_checklists()
    register_blueprints(app)
    from app import cli
    from app.web import plumbing as web

    web.init_app(app)
    cli.init_app(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N proxies, take the client address and scheme from their X-Forwarded headers.

    The public side limits complaints and code lookups per client address; without this a
    TLS proxy would make every visitor look like one client.
    """
    hops = int(app.config.get("FANGXIN_TRUSTED_PROXIES") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def instance_secret(instance: Path) -> str:
    """The secret kept in instance/secret_key, generated on first use (never shipped)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def check_checklists() -> None:
    """Load the plan's programmes once; a bad file stops start-up with the loader's message."""
    from app.checklists import shipped_programmes

    shipped_programmes()


def init_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from flask_babel import lazy_gettext as _l

    from app import models  # noqa: F401  (registers the tables on the metadata)
    from app.web.locale import select_locale

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    login_manager.login_message = _l("请先登录。")
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)


def register_blueprints(app: Flask) -> None:
    """One blueprint per audience."""
    from app.web.converters import install

    install(app)  # before the first rule: <int:…> bounded to the database, bounded JSON
    from app.web.api import bp as api_bp
    from app.web.auth import bp as auth_bp
    from app.web.dashboard import bp as dashboard_bp
    from app.web.field import bp as field_bp
    from app.web.media import bp as media_bp
    from app.web.office import bp as office_bp
    from app.web.public import bp as public_bp
    from app.web.pwa import bp as pwa_bp
    from app.web.registers import bp as registers_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(office_bp, url_prefix="/office")
    app.register_blueprint(field_bp, url_prefix="/field")
    app.register_blueprint(registers_bp, url_prefix="/registers")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(public_bp)
    app.register_blueprint(media_bp, url_prefix="/media")
    app.register_blueprint(dashboard_bp, url_prefix="/office")
    app.register_blueprint(pwa_bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked on every connection; WAL lets
    # readers carry on while an inspector's submit is being written.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # A writer waits its turn up to 15 s (gunicorn's timeout is 30): with 5 s, 50 phones
        # submitting at once on a busy 2-core machine got "database is locked" (bench.load).
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
