"""Fixtures for the loader tests (shipped, demo_toml and make_programme are in tests/conftest.py)."""

import pytest


@pytest.fixture
def write_toml(tmp_path):
    """Write TOML text into tmp_path under a name; returns the directory."""

    def write(text, name="bad.toml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write
