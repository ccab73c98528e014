"""Time the indicator roll-up on a synthetic city (20,000 establishments, 200,000 inspections).

    python bench/rollup.py              # SQLite file under /tmp
    python bench/rollup.py --postgres   # also on PostgreSQL (database created and dropped here)

Times (a) every indicator for every street office for the last four quarters, with both
latest-inspection strategies, (b) the dashboard request through Flask's test client (no
network server), and the same figures as hand-written raw GROUP BY SQL, the floor.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.indicators import INDICATORS, parse_period, sql
from app.indicators.periods import last_quarters
from app.indicators.rollup import make_scope, rollup_all
from app.models import (
    Action,
    Answer,
    ChecklistVersion,
    Complaint,
    Coordinator,
    Establishment,
    Inspection,
    Jurisdiction,
    Registration,
    User,
)
from bench.raw_sql import raw_figures

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PERIOD = "2024Q4"
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


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )


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
        ins_rows, ans_rows = [], []
        for j in range(n_ins):
            est = ests[rng.randrange(n_est)]
            prog = PROGRAMME.get(est["category"], "catering")
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
                    "status": "submitted" if rng.random() < 0.97 else "draft",
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
            Action.__table__.insert(),
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


def best(fn, runs: int = 3) -> float:
    """The best wall time of a few runs, in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(app, label: str) -> dict:
    """Time the roll-up, both strategies, the raw-SQL floor and the dashboard request."""
    out = {}
    with app.app_context():
        quarters = last_quarters(parse_period(PERIOD), 4)

        def orm_all():
            return [rollup_all(make_scope(q)) for q in quarters]

        for strategy in ("correlated", "window"):
            sql.LATEST_STRATEGY = strategy
            out[f"rollup[{strategy}]"] = best(orm_all)
        sql.LATEST_STRATEGY = "correlated"
        figures = orm_all()
        raw = [raw_figures(db.session, q) for q in quarters]
        out["raw_sql_floor"] = best(lambda: [raw_figures(db.session, q) for q in quarters])
        mismatch = [
            (q.code, ind.code)
            for q, f, r in zip(quarters, figures, raw, strict=True)
            for ind in INDICATORS
            if {k: (v.num, v.den) for k, v in f[ind.code].items() if k} != r[ind.code]
        ]
        out["raw_matches_orm"] = not mismatch
        if mismatch:
            print("  mismatches:", mismatch[:5])
        user_id = db.session.scalar(db.select(User.id))
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user_id)
        sess["_fresh"] = True
    url = f"/office/?period={PERIOD}"
    assert client.get(url).status_code == 200
    out["dashboard_http"] = best(lambda: client.get(url))
    print(f"\n{label}")
    for key, value in out.items():
        print(f"  {key:<24} {value if isinstance(value, bool) else f'{value * 1000:8.1f} ms'}")
    ratio = out["rollup[correlated]"] / out["raw_sql_floor"]
    print(f"  {'rollup / floor':<24} {ratio:8.2f} x   (target <= 2x, and (a) <= 1000 ms on SQLite)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--establishments", type=int, default=20000)
    parser.add_argument("--inspections", type=int, default=200000)
    parser.add_argument("--answers", type=int, default=4, help="answers per inspection")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        app = app_for(url)
        app.instance_path = tmp
        build(app, args.establishments, args.inspections, args.answers)
        print(f"SQLite: built in {time.perf_counter() - t0:.1f} s")
        measure(app, f"SQLite {args.establishments} establishments, {args.inspections} inspections")
    if args.postgres:
        name = f"fangxin_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
            app = app_for(url)
            t0 = time.perf_counter()
            build(app, args.establishments, args.inspections, args.answers)
            print(f"\nPostgreSQL: built in {time.perf_counter() - t0:.1f} s")
            measure(app, "PostgreSQL")
            with app.app_context():
                db.engine.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
