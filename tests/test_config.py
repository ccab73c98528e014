"""Configuration layering and the generated secret."""

from pathlib import Path

from app import create_app


def test_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text(
        "FANGXIN_PUBLIC_BASE_URL = 'https://from-file.example'\nFANGXIN_PAGE_SIZE = 7\n"
    )
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("FANGXIN_PUBLIC_BASE_URL", "https://from-env.example")
    monkeypatch.setenv("FANGXIN_SECRET_KEY", "env-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app()
    assert app.config["FANGXIN_PAGE_SIZE"] == 7  # file over default
    assert app.config["FANGXIN_PUBLIC_BASE_URL"] == "https://from-env.example"  # env over file
    assert app.config["SECRET_KEY"] == "env-secret"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"  # default kept


def test_database_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'fangxin.db'}"
    assert app.config["FANGXIN_UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert app.config["MAX_CONTENT_LENGTH"] > 20 * 1024 * 1024


def test_secret_generated_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("FANGXIN_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 40
    secret_file = Path(tmp_path / "secret_key")
    assert secret_file.read_text().strip() == first
    assert secret_file.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_each_instance_gets_its_own_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("FANGXIN_SECRET_KEY", raising=False)
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path / "a"))
    a = create_app().config["SECRET_KEY"]
    monkeypatch.setenv("FANGXIN_INSTANCE_PATH", str(tmp_path / "b"))
    assert create_app().config["SECRET_KEY"] != a


def test_sqlite_has_foreign_keys_and_wal(app):
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
