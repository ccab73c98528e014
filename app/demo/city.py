"""Demo data for trying Fangxin: clearly labelled, deterministic, safe to load twice."""

import random
from datetime import date, timedelta

from sqlalchemy import null

from app.core.accounts import create_user, find_jurisdictions
from app.core.clock import add_months, local_today
from app.demo.activity import seed_activity
from app.demo.cases import seed_cases
from app.demo.plans import seed_plan
from app.demo.reviews import seed_reviews
from app.extensions import db
from app.models import Establishment, Jurisdiction, User
from app.models.establishment import CATEGORIES, SCHOOL_TYPES, THREE_SMALL_CATEGORIES
from app.registry.establishments import create_establishment

DEMO_PREFIX = "【演示】"
# The street offices and development zone are Yima's real ones, coded under Yima's division
# code 411281; the communities and villages below them are invented.
STREETS = [
    ("411281001", "新区街道", "street", [("新华社区", "community"), ("锦江社区", "community"), ("北苑社区", "community")]),
    ("411281002", "千秋路街道", "street", [("千秋社区", "community"), ("西苑社区", "community"), ("石河村", "village")]),
    ("411281003", "朝阳路街道", "street", [("朝阳社区", "community"), ("南园社区", "community"), ("杨村", "village")]),
    ("411281004", "泰山路街道", "street", [("泰山社区", "community"), ("东苑社区", "community"), ("李家村", "village")]),
    ("411281005", "常村路街道", "street", [("常村社区", "community"), ("礼村", "village"), ("张村", "village")]),
    ("411281006", "东区街道", "street", [("东区社区", "community"), ("苗村", "village"), ("二十里铺村", "village")]),
    ("411281007", "先进制造业开发区", "zone", [("开发区社区", "community"), ("西河村", "village")]),
]  # fmt: skip
# How many of each category the demo city has (about 300 in all).
CATEGORY_COUNTS = {
    "rural_shop": 60, "supermarket": 15, "school_canteen": 30, "farm_market": 10,
    "small_workshop": 20, "small_shop": 30, "stall": 25, "restaurant_large": 10,
    "restaurant_medium": 20, "restaurant_small": 30, "central_kitchen": 3, "group_meal": 4,
    "online_caterer": 10, "health_food_seller": 8, "import_food_seller": 5,
    "grain_enterprise": 5, "health_centre": 15,
}  # fmt: skip
DEMO_USERS = [
    ("admin", "演示管理员", "admin", "fangxin-admin", ()),
    ("inspector", "演示检查员", "inspector", "fangxin-inspector", ("411281001", "411281002")),
    ("inspector2", "演示检查员二", "inspector", "fangxin-inspector2", ("411281003", "411281004")),
    ("viewer", "演示查看者", "viewer", "fangxin-viewer", ()),
    ("reviewer", "演示审核员", "admin", "fangxin-reviewer", ()),  # 审核: nobody reviews their own
]
# The "three small" hold registration cards, not licences; health centres are not food businesses.
UNLICENSED = (*THREE_SMALL_CATEGORIES, "health_centre")
LICENCE_MONTHS = 60  # a food business licence runs five years
SHOP_WORDS = ["便民", "惠民", "金穗", "鑫源", "福满", "同心", "康乐", "和顺", "兴旺", "春晖"]


def seed_jurisdictions() -> list[Jurisdiction]:
    """The street offices, zone and their communities/villages; returns the leaves."""
    existing = {j.code: j for j in db.session.scalars(db.select(Jurisdiction))}
    leaves = []
    for code, name, kind, units in STREETS:
        top = existing.get(code) or Jurisdiction(code=code, name=name, kind=kind, created_at=null())
        db.session.add(top)
        for i, (unit, unit_kind) in enumerate(units, start=1):
            unit_code = f"{code}{i:03d}"
            leaf = existing.get(unit_code) or Jurisdiction(
                code=unit_code, name=unit, kind=unit_kind, parent=top, created_at=null()
            )
            db.session.add(leaf)
            leaves.append(leaf)
    db.session.flush()
    return leaves


def demo_establishment(rng: random.Random, n: int, category: str, leaf: Jurisdiction) -> dict:
    """The fields of demo establishment number n."""
    word = rng.choice(SHOP_WORDS)
    label = str(CATEGORIES[category])
    return {
        "name": f"{DEMO_PREFIX}{leaf.name}{word}{label}{n:03d}",
        "category": category,
        "school_type": rng.choice(list(SCHOOL_TYPES)) if category == "school_canteen" else None,
        "jurisdiction_id": leaf.id,
        "address": f"义马市{leaf.top.name}{leaf.name}{rng.randint(1, 200)}号",
        "licence_no": f"DEMO-{n:04d}",
        "operator": rng.choice(["王", "李", "张", "刘", "陈", "杨", "赵"]) + rng.choice(["伟", "芳", "强", "敏", "军"]),
        "contact_phone": f"1380398{n:04d}",
        "surveillance_site": category == "health_centre" and rng.random() < 0.8,
    } | licence_dates(n, category)  # fmt: skip


def licence_dates(n: int, category: str, today: date | None = None) -> dict:
    """Issue and expiry of demo licence n: number 1 lapsed, every 12th expiring within weeks.

    Drawn from n, not the shared random stream, so the rest of the demo city stays the same;
    issued long before the demo history, so no catering grade falls in a new permit's grace.
    """
    if category in UNLICENSED:
        return {}
    today = today or local_today()
    if n == 1:
        until = today - timedelta(days=20)
    elif n % 12 == 5:
        until = today + timedelta(days=7 + n % 50)
    else:
        until = today + timedelta(days=60 + n * 37 % 1240)
    issued = add_months(until, -LICENCE_MONTHS) + timedelta(days=1)
    return {"permit_issued_on": issued, "licence_valid_until": until}


def seed_establishments(leaves: list[Jurisdiction], scale: float = 1.0) -> int:
    """Create the demo establishments not there yet; returns how many were added.

    scale < 1 makes a smaller city (at least one of each category), e.g. for tests.
    """
    have = set(db.session.scalars(db.select(Establishment.licence_no)))
    rng = random.Random(2024)
    added, n = 0, 0
    for category, count in CATEGORY_COUNTS.items():
        for _ in range(max(1, round(count * scale))):
            n += 1
            fields = demo_establishment(rng, n, category, rng.choice(leaves))
            if fields["licence_no"] not in have:
                create_establishment(None, **fields)
                added += 1
    return added


def seed_users() -> list[tuple[str, str, str]]:
    """The demo users (one per role); returns (username, password, role) for each."""
    for username, name, role, password, codes in DEMO_USERS:
        if not db.session.scalar(db.select(User.id).where(User.username == username)):
            create_user(
                None,
                username=username,
                display_name=name,
                role=role,
                password=password,
                jurisdictions=find_jurisdictions(codes),
            )
    return [(u, p, r) for u, _n, r, p, _c in DEMO_USERS]


def seed_demo(scale: float = 1.0) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Load all demo data; returns what was added (by kind) and the demo logins."""
    leaves = seed_jurisdictions()
    added = {"establishments": seed_establishments(leaves, scale)}
    logins = seed_users()
    db.session.commit()
    added |= seed_activity()
    added |= seed_plan()
    added |= seed_reviews()
    added |= seed_cases()  # after the activity: cases are written from its records
    return added, logins
