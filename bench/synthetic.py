"""A synthetic city for bench/rollup.py: jurisdictions, establishments, inspections with
answers, registrations, coordinators, ledger entries and complaints, inserted in batches
(COPY on PostgreSQL, Core executemany on SQLite).

At scale N the city has N times the street offices (5 N, ten units each), establishments
and inspections, so a unit keeps about 400 establishments as a province's would.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import JSON, text

from app.extensions import db
from app.models import (
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
from app.models.types import UTCDateTime

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


def plain(value):
    """A value as COPY's text format wants it: naive UTC timestamps, JSON as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def write(conn, model, rows: list[dict]) -> None:
    """Insert rows (dicts with the same keys in the same order) into a model's table."""
    if not rows:
        return
    table = model.__table__
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    cols = list(rows[0])
    typed = (UTCDateTime, JSON)
    convert = [i for i, c in enumerate(cols) if isinstance(table.c[c].type, typed)]
    names = ", ".join(f'"{c}"' for c in cols)
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = list(row.values())
            for i in convert:
                values[i] = plain(values[i])
            copy.write_row(values)


def add_answers(conn, answers: int) -> None:
    """`answers` answers per inspection, made by the database (no indicator reads them)."""
    if answers <= 0:
        return
    items = " UNION ALL ".join(f"SELECT {a} AS n" for a in range(answers))
    conn.execute(
        text(
            "INSERT INTO answer (inspection_id, item_id, section, item_text, key_item, result,"
            " note) SELECT i.id, 'i' || a.n, 's', '', a.n = 0, CASE (i.id + a.n) % 4"
            " WHEN 0 THEN 'fail' WHEN 1 THEN 'na' ELSE 'pass' END, ''"
            f" FROM inspection i CROSS JOIN ({items}) a"
        )
    )


def build(app, n_est: int, n_ins: int, answers: int, seed: int = 7, n_tops: int = 5) -> None:
    """Migrate and fill the database with a synthetic city of n_tops street offices."""
    from flask_migrate import upgrade

    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        conn = db.session.connection()
        tops, leaves, villages = [], [], []
        for t in range(n_tops):
            kind = "zone" if t % 5 == 4 else "street"
            top = Jurisdiction(code=f"T{t}", name=f"街道{t}", kind=kind)
            db.session.add(top)
            db.session.flush()
            tops.append(top)
            for k in range(10):
                kind = "village" if k % 2 else "community"
                leaf = Jurisdiction(
                    code=f"T{t}-{k:02d}",
                    name=f"单元{t}-{k}",
                    kind=kind,
                    parent_id=top.id,
                )
                db.session.add(leaf)
                db.session.flush()
                leaves.append(leaf.id)
                if kind == "village":
                    villages.append(leaf.id)
        # No created_at: units older than the app count in every period (as raw SQL does).
        conn.execute(text("UPDATE jurisdiction SET created_at = NULL"))
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
        write(conn, Establishment, ests)
        ins_rows, drafted = [], set()
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
            if len(ins_rows) >= 20000:
                write(conn, Inspection, ins_rows)
                ins_rows = []
        write(conn, Inspection, ins_rows)
        add_answers(conn, answers)
        three = [e for e in ests if e["category"] in ("small_shop", "stall", "small_workshop")]
        write(
            conn,
            Registration,
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
        write(
            conn,
            Coordinator,
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
        write(
            conn,
            LedgerEntry,
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
        write(
            conn,
            Complaint,
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
        if db.engine.dialect.name == "postgresql":
            for table in ("establishment", "inspection"):
                conn.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as c:
                c.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
