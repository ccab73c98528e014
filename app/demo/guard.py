"""Telling demo data from real data: the seed's refusal and the "demo data" banner.

Demo data is marked where it is made (app.demo.city): establishments named 【演示】… with
DEMO- licence numbers, the four DEMO_USERS (username and display name), and the jurisdictions
of STREETS (code and name). Anything else is real data.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import and_, func, not_, or_, tuple_

from app.demo.city import DEMO_PREFIX, DEMO_USERS, STREETS
from app.extensions import db
from app.models import Establishment, Jurisdiction, User

DEMO_LICENCE = "DEMO-%"
CACHE_KEY = "fangxin_demo_present"


def demo_user_pairs() -> list[tuple[str, str]]:
    """(username, display name) of each demo user."""
    return [(username, name) for username, name, *_rest in DEMO_USERS]


def demo_jurisdiction_pairs() -> list[tuple[str, str]]:
    """(code, name) of each demo street office, zone, community and village."""
    pairs = []
    for code, name, _kind, units in STREETS:
        pairs.append((code, name))
        pairs += [(f"{code}{i:03d}", unit) for i, (unit, _k) in enumerate(units, start=1)]
    return pairs


def is_demo_establishment():
    """SQL: the establishment is demo data (DEMO- licence and 【演示】 name)."""
    return and_(
        func.coalesce(Establishment.licence_no, "").like(DEMO_LICENCE),
        Establishment.name.like(DEMO_PREFIX + "%"),
    )


def count(model, demo_clause) -> int:
    """How many rows of model are not demo data."""
    return db.session.scalar(db.select(func.count(model.id)).where(not_(demo_clause)))


def real_data() -> dict[str, int]:
    """How many establishments, users and jurisdictions are not demo data (zeros omitted)."""
    found = {
        "establishments": count(Establishment, is_demo_establishment()),
        "users": count(User, tuple_(User.username, User.display_name).in_(demo_user_pairs())),
        "jurisdictions": count(
            Jurisdiction,
            tuple_(Jurisdiction.code, Jurisdiction.name).in_(demo_jurisdiction_pairs()),
        ),
    }
    return {kind: n for kind, n in found.items() if n}


def demo_present_now() -> bool:
    """Whether any demo user or demo establishment exists (two indexed look-ups)."""
    users = db.select(User.id).where(
        User.username.in_([u for u, _n in demo_user_pairs()]),
        or_(*(and_(User.username == u, User.display_name == n) for u, n in demo_user_pairs())),
    )
    shops = db.select(Establishment.id).where(is_demo_establishment())
    return bool(db.session.scalar(users.limit(1)) or db.session.scalar(shops.limit(1)))


def demo_present() -> bool:
    """demo_present_now, remembered per process for FANGXIN_DEMO_CHECK_SECONDS (default 60)."""
    ttl = current_app.config.get("FANGXIN_DEMO_CHECK_SECONDS", 60)
    hit = current_app.extensions.get(CACHE_KEY)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    present = demo_present_now()
    current_app.extensions[CACHE_KEY] = (time.monotonic() + ttl, present)
    return present


def forget() -> None:
    """Drop the remembered answer (after seeding, so this process shows the banner at once)."""
    current_app.extensions.pop(CACHE_KEY, None)
