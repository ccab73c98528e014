"""Fixtures for the QR, placard and scanner tests (no Flask app needed)."""

from __future__ import annotations

import pytest

from app.qr import new_token, public_url

BASE_URL = "https://fangxin.yima.example.cn/"


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def url(token: str) -> str:
    return public_url(BASE_URL, token)
