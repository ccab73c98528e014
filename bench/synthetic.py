"""A synthetic city for bench/rollup.py: jurisdictions, establishments, inspections with
answers, registrations, coordinators, ledger entries and complaints, inserted with Core
executemany in batches."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from app.extensions import db
from app.models import (
    Answer,
    ChecklistVersion,
    Complaint,
    Coordinator,
    Establishment,
    Inspection,
    Jurisdiction,
    LedgerEntry,
    Registration,
    User,
)

CATEGORY_MIX = [
    ("rural_shop", 25),
    ("small_shop", 15),
    ("stall", 12),
    ("small_workshop", 5),
    ("restaurant_small", 15),
    ("restaurant_medium", 6),
    ("restaurant_large", 3),
    ("central_kitchen", 1),
    ("group_meal", 1),
    ("online_caterer", 4),
    ("school_canteen", 4),
    ("farm_market", 1),
    ("supermarket", 4),
    ("health_centre", 1),
    ("health_food_seller", 3),
]
PROGRAMME = {
    "rural_shop": "five_goods",
    "school_canteen": "school_canteen",
    "farm_market": "market",
    "small_shop": "three_small",
    "stall": "three_small",
    "small_workshop": "three_small",
}
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = (datetime(2024, 12, 31, tzinfo=UTC) - START).total_seconds()


def insert_batch(conn, ins_rows: list, ans_rows: list) -> None:
    conn.execute(Inspection.__table__.insert(), ins_rows)
    if ans_rows:
        conn.execute(Answer.__table__.insert(), ans_rows)


def build(app, n_est: int, n_ins: int, answers: int, seed: int = 7) -> None:
    """Migrate and fill the database with a synthetic city."""
    from flask_migrate import upgrade

    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        conn = db.session.connection()
        tops, leaves, villages = [], [], []
        for t in range(5):
            top = Jurisdiction(code=f"T{t}", name=f"街道{t}", kind="street" if t < 4 else "zone")
            db.session.add(top)
            db.session.flush()
            tops.append(top)
            for k in range(10):
                kind = "village" if k % 2 else "community"
                leaf = Jurisdiction(
                    code=f"T{t}-{k:02d}", name=f"单元{t}-{k}", kind=kind, parent_id=top.id
                )
                db.session.add(leaf)
                db.session.flush()
                leaves.append(leaf.id)
                if kind == "village":
                    villages.append(leaf.id)
        user = User(username="admin", display_name="admin", role="admin", password_hash="x")
        db.session.add(user)
        versions = {}
        for prog in ("five_goods", "school_canteen", "market", "three_small", "catering"):
            versions[prog] = ChecklistVersion(programme=prog, version="b1", title=prog, content={})
            db.session.add(versions[prog])
        db.session.flush()
        cats = [c for c, w in CATEGORY_MIX for _ in range(w)]
        ests = []
        for i in range(n_est):
            cat = rng.choice(cats)
            created = (
                START - timedelta(days=rng.randint(0, 900))
                if rng.random() < 0.9
                else START + timedelta(seconds=rng.random() * SPAN)
            )
            closed = created + timedelta(days=rng.randint(30, 700)) if rng.random() < 0.08 else None
            ests.append(
                {
                    "id": i + 1,
                    "name": f"单位{i}",
                    "category": cat,
                    "jurisdiction_id": rng.choice(leaves),
                    "surveillance_site": rng.random() < 0.8,
                    "active": closed is None,
                    "closed_at": closed,
                    "risk_grade": rng.choice(["A", "B", "C", "D", None]),
                    "risk_assessed_on": date(2024, 1, 1) + timedelta(days=rng.randint(-300, 360)),
                    "created_at": created,
                    "updated_at": created,
                    "address": "",
                    "operator": "",
                    "contact_phone": "",
                    "closed_reason": "",
                }
            )
        conn.execute(Establishment.__table__.insert(), ests)
        ins_rows, ans_rows, drafted = [], [], set()
        for j in range(n_ins):
            est = ests[rng.randrange(n_est)]
            prog = PROGRAMME.get(est["category"], "catering")
            # The inspector's one open draft per establishment and programme, if any.
            draft = rng.random() >= 0.97 and (est["id"], prog) not in drafted
            if draft:
                drafted.add((est["id"], prog))
            when = START + timedelta(seconds=rng.random() * SPAN)
            staff = rng.randint(2, 30)
            ins_rows.append(
                {
                    "id": j + 1,
                    "client_uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                    "establishment_id": est["id"],
                    "checklist_version_id": versions[prog].id,
                    "programme": prog,
                    "inspector_id": user.id,
                    "status": "draft" if draft else "submitted",
                    "started_at": when,
                    "submitted_at": when,
                    "updated_at": when,
                    "outcome": rng.choice(["compliant", "basic", "noncompliant"]),
                    "score": rng.randint(40, 100),
                    "grade": rng.choice(["A", "B", "C", "D"]) if prog == "market" else None,
                    "five_goods_met": rng.random() < 0.8,
                    "bright_kitchen_live": rng.random() < 0.9,
                    "yushi_app_in_use": rng.random() < 0.85,
                    "staff_count": staff,
                    "staff_trained": rng.randint(0, staff),
                    "superseded": rng.random() < 0.01,
                    "fields": {},
                    "revision": 1,
                    "second_inspector": "",
                    "operator_rep": "",
                    "amendment_reason": "",
                }
            )
            for a in range(answers):
                ans_rows.append(
                    {
                        "inspection_id": j + 1,
                        "item_id": f"i{a}",
                        "section": "s",
                        "item_text": "",
                        "key_item": a == 0,
                        "result": rng.choice(["pass", "pass", "fail", "na"]),
                        "note": "",
                    }
                )
            if len(ins_rows) >= 20000:
                insert_batch(conn, ins_rows, ans_rows)
                ins_rows, ans_rows = [], []
        if ins_rows:
            insert_batch(conn, ins_rows, ans_rows)
        three = [e for e in ests if e["category"] in ("small_shop", "stall", "small_workshop")]
        conn.execute(
            Registration.__table__.insert(),
            [
                {
                    "establishment_id": e["id"],
                    "kind": "registration",
                    "state": "issued",
                    "number": None,
                    "applied_on": date(2022, 1, 1),
                    "issued_on": date(2022, 1, 1) + timedelta(days=rng.randint(0, 900)),
                    "valid_until": date(2025, 1, 1) + timedelta(days=rng.randint(-400, 300)),
                    "details": {},
                    "created_at": START,
                }
                for e in three
                if rng.random() < 0.9
            ],
        )
        conn.execute(
            Coordinator.__table__.insert(),
            [
                {
                    "name": "协管员",
                    "phone": "",
                    "village_id": v,
                    "start_on": date(2023, 1, 1) + timedelta(days=rng.randint(0, 600)),
                }
                for v in villages
            ],
        )
        conn.execute(
            LedgerEntry.__table__.insert(),
            [
                {
                    "establishment_id": ests[rng.randrange(n_est)]["id"],
                    "inspection_id": rng.randint(1, n_ins),
                    "item_id": "i1",
                    "item_text": "",
                    "handling": "deadline",
                    "note": "",
                    "rectification_note": "",
                    "due_date": date(2023, 1, 1) + timedelta(days=rng.randint(0, 720)),
                    "state": "verified",
                    "opened_at": START,
                    "verified_at": START + timedelta(seconds=rng.random() * SPAN),
                }
                for _ in range(n_ins // 10)
            ],
        )
        conn.execute(
            Complaint.__table__.insert(),
            [
                {
                    "establishment_id": ests[rng.randrange(n_est)]["id"],
                    "text": "t",
                    "phone": "",
                    "reply": "",
                    "state": "closed",
                    "sender_hash": "h",
                    "created_at": (c := START + timedelta(seconds=rng.random() * SPAN)),
                    "closed_at": c + timedelta(days=rng.randint(1, 25)),
                }
                for _ in range(n_ins // 40)
            ],
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as c:
                c.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
