"""Time the indicator roll-up on a synthetic city (20,000 establishments, 200,000 inspections).

    python bench/rollup.py              # SQLite file under /tmp
    python bench/rollup.py --postgres   # also on PostgreSQL (database created and dropped here)

Times (a) every indicator for every street office for the last four quarters, with both
latest-inspection strategies, (b) the dashboard request through Flask's test client (no
network server), and the same figures as hand-written raw GROUP BY SQL, the floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
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
    User,
)
from bench.raw_sql import raw_figures
from bench.synthetic import build

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PERIOD = "2024Q4"


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )


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


def run_sqlite(args) -> None:
    """Build and measure in a SQLite file in a temporary folder under /tmp."""
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        app = app_for(url)
        app.instance_path = tmp
        build(app, args.establishments, args.inspections, args.answers)
        print(f"SQLite: built in {time.perf_counter() - t0:.1f} s")
        measure(app, f"SQLite {args.establishments} establishments, {args.inspections} inspections")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--establishments", type=int, default=20000)
    parser.add_argument("--inspections", type=int, default=200000)
    parser.add_argument("--answers", type=int, default=4, help="answers per inspection")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()
    if not args.no_sqlite:
        run_sqlite(args)
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
