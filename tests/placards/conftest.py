"""Fixtures for the QR, placard and scanner tests (no Flask app needed)."""

from __future__ import annotations

import pytest

from app.placards.images import FontNotFoundError, PlacardData, find_cjk_font
from app.placards.qr import public_url
from app.registry.codes import new_short_code, new_token

BASE_URL = "https://fangxin.yima.example.cn/"


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def url(token: str) -> str:
    return public_url(BASE_URL, token)


@pytest.fixture
def card(url: str) -> PlacardData:
    return PlacardData(
        city="义马市",
        name="老王 & 小李 <家常菜馆>（千秋路店）",
        category_label="小型餐馆",
        licence_no="JY14112810012345",
        url=url,
        short_code=new_short_code(),
    )


@pytest.fixture
def cjk_font():
    """The CJK font path, or skip: the PNG renderer cannot draw Chinese without one."""
    try:
        return find_cjk_font()
    except FontNotFoundError as exc:
        pytest.skip(f"no CJK font installed (apt install fonts-noto-cjk): {exc}")
