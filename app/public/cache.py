"""A small per-process cache of rendered public pages for anonymous visitors.

Browsers and proxies may keep the page for a minute anyway (Cache-Control); holding the
rendered bytes for a few seconds more in each worker lets a crowd scanning one placard cost
one render, not hundreds. Signed-in users always get a fresh page. A code replacement forgets
the old token here at once; other workers drop it within FANGXIN_PUBLIC_CACHE_SECONDS.
"""

from __future__ import annotations

import time

from flask import current_app

MAX_ENTRIES = 4096


def _store() -> dict:
    return current_app.extensions.setdefault("fangxin_public_cache", {})


def get(key: tuple) -> bytes | None:
    """The cached body for key if still fresh."""
    hit = _store().get(key)
    if hit is None or hit[0] < time.monotonic():
        return None
    return hit[1]


def put(key: tuple, body: bytes) -> None:
    """Keep a body for FANGXIN_PUBLIC_CACHE_SECONDS (0 turns the cache off)."""
    ttl = current_app.config.get("FANGXIN_PUBLIC_CACHE_SECONDS", 0)
    if ttl <= 0:
        return
    store = _store()
    if len(store) >= MAX_ENTRIES:
        store.clear()  # crude but bounded; a full cache is rebuilt within seconds
    store[key] = (time.monotonic() + ttl, body)


def forget(token: str) -> None:
    """Drop every cached page of a token (after its code was replaced)."""
    store = _store()
    for key in [k for k in store if k[1] == token]:
        store.pop(key, None)
