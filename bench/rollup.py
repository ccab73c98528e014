"""Time the indicator roll-up on a synthetic city (20,000 establishments, 200,000 inspections).

    python bench/rollup.py              # SQLite file under /tmp
    python bench/rollup.py --postgres   # also on PostgreSQL (database created and dropped here)
    python bench/rollup.py --scale 10 --postgres --no-sqlite   # a province: 200,000 / 2,000,000

Times (a) every indicator for every street office for the last four quarters, with both
latest-inspection strategies, (b) the dashboard request through Flask's test client (no
network server), and the same figures as hand-written raw GROUP BY SQL, the floor; then,
through the test client too, the registry list (first and a deep page), registry search and
an inspector's due list (one community's, and a whole street office's).
"""

from __future__ import annotations

import argparse
import os
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
from app.models import Inspection, Jurisdiction, RollupCache, User
from app.models.types import utcnow
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


RUNS = [3]  # --runs
SKIP_ROLLUP = [False]  # --pages-only
STRATEGIES = ["correlated", "window"]  # --correlated-only drops the window strategy


def best(fn) -> float:
    """The best wall time of a few runs (--runs), in seconds."""
    times = []
    for _ in range(RUNS[0]):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(app, label: str) -> dict:
    """Time the roll-up, both strategies, the raw-SQL floor and the dashboard request."""
    out = {}
    if SKIP_ROLLUP[0]:
        return pages_only(app, label)
    with app.app_context():
        quarters = last_quarters(parse_period(PERIOD), 4)

        def orm_all():
            return [rollup_all(make_scope(q)) for q in quarters]

        for strategy in STRATEGIES:
            sql.LATEST_STRATEGY = strategy
            out[f"rollup[{strategy}]"] = best(orm_all)
            say(f"rollup[{strategy}]", out[f"rollup[{strategy}]"])
        sql.LATEST_STRATEGY = "correlated"
        figures = orm_all()
        raw = [raw_figures(db.session, q) for q in quarters]
        out["raw_sql_floor"] = best(lambda: [raw_figures(db.session, q) for q in quarters])
        say("raw_sql_floor", out["raw_sql_floor"])
        # Compare only what the raw floor computes; newer indicators may not be in it yet.
        floor_codes = set(raw[0]) if raw else set()
        compared = [ind for ind in INDICATORS if ind.code in floor_codes]
        not_in_floor = [ind.code for ind in INDICATORS if ind.code not in floor_codes]
        if not_in_floor:
            print("  not in the raw floor:", ", ".join(not_in_floor))
        mismatch = [
            (q.code, ind.code)
            for q, f, r in zip(quarters, figures, raw, strict=True)
            for ind in compared
            if {k: (v.num, v.den) for k, v in f[ind.code].items() if k} != r[ind.code]
        ]
        out["raw_matches_orm"] = not mismatch
        if mismatch or not_in_floor:
            if mismatch:
                print("  mismatches:", mismatch[:5])
            # The floor for what it computes alike (the working-day rule of #13 is ORM-only),
            # and the roll-up over those same indicators, so the ratio compares like with like.
            off = {code for _, code in mismatch}
            same = [ind for ind in compared if ind.code not in off]
            codes = {ind.code for ind in same}
            if off:
                print(f"  raw SQL differs on {sorted(off)}; also timed without them")
            out["rollup_matching"] = best(
                lambda: [rollup_all(make_scope(q), same) for q in quarters]
            )
            out["raw_floor_matching"] = best(
                lambda: [raw_figures(db.session, q, codes=codes) for q in quarters]
            )
            say("rollup_matching", out["rollup_matching"])
            say("raw_floor_matching", out["raw_floor_matching"])
        user_id = db.session.scalar(db.select(User.id).where(User.username == "admin"))
    client = signed_in(app, user_id)
    out |= dashboard_times(app, client, f"/office/?period={PERIOD}")
    out |= pages(app, client)
    print(f"\n{label}")
    for key, value in out.items():
        print(f"  {key:<24} {value if isinstance(value, bool) else f'{value * 1000:8.1f} ms'}")
    ratio = out["rollup[correlated]"] / out["raw_sql_floor"]
    print(f"  {'rollup / floor':<24} {ratio:8.2f} x   (target <= 1.2x at scale 10 on PostgreSQL)")
    if "rollup_matching" in out:
        ratio = out["rollup_matching"] / out["raw_floor_matching"]
        print(f"  {'rollup / floor, alike':<24} {ratio:8.2f} x")
    print(f"  load average {os.getloadavg()[0]:.2f} (2 cores)")
    return out


def dashboard_times(app, client, url: str) -> dict:
    """The dashboard request: with an empty roll-up cache; right after an inspection is
    written through the ORM, as every autosave, submit and review is (its street office's
    figures computed again); right after a bulk UPDATE of inspections (every figure reading
    them computed again); and from the cache."""
    out = {}

    def emptied():
        with app.app_context():
            db.session.execute(db.delete(RollupCache))
            db.session.commit()

    def flushed():  # bumps inspection@<its street office> (app.models.data_partition)
        with app.app_context():
            db.session.get(Inspection, 1).updated_at = utcnow()
            db.session.commit()

    def bulk():  # a Core write: bumps the whole table's version
        with app.app_context():
            db.session.execute(text("UPDATE inspection SET updated_at = updated_at WHERE id = 1"))
            db.session.commit()

    for key, before in (
        ("dashboard_cold", emptied),
        ("dashboard_after_write", flushed),
        ("dashboard_after_bulk_write", bulk),
    ):
        times = []
        for _ in range(RUNS[0]):
            before()
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - t0)
        out[key] = min(times)
        say(key, out[key])
    out["dashboard_http"] = best(lambda: client.get(url))  # from the cache
    say("dashboard_http", out["dashboard_http"])
    return out


def say(key: str, value: float) -> None:
    """A figure as soon as it is measured (a long run may be cut short)."""
    print(f"  .. {key:<24} {value * 1000:8.1f} ms", flush=True)


def pages_only(app, label: str) -> dict:
    """Only the page timings (registry and due list), for a quick measure of a kept database."""
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.username == "admin"))
    out = pages(app, signed_in(app, user_id))
    print(f"\n{label}")
    for key, value in out.items():
        print(f"  {key:<24} {value * 1000:8.1f} ms")
    print(f"  load average {os.getloadavg()[0]:.2f} (2 cores)")
    return out


PAGES = {
    "registry_list": "/office/establishments",
    "registry_list_page_40": "/office/establishments?page=40",
    "registry_search_name": "/office/establishments?q=单位12345",
    "registry_search_code": "/office/establishments?q=ABCD2345",
    "registry_search_miss": "/office/establishments?q=不存在的单位",
}


def pages(app, client) -> dict:
    """The office's registry pages, then an inspector's due list, through the test client."""
    out = {}
    for key, url in PAGES.items():
        assert client.get(url).status_code == 200, url
        out[key] = best(lambda url=url: client.get(url))
        say(key, out[key])
    with app.app_context():
        users = inspectors()
    for key, user_id in users.items():
        field = signed_in(app, user_id)
        assert field.get("/field/").status_code == 200
        out[key] = best(lambda field=field: field.get("/field/"))
        say(key, out[key])
    return out


def signed_in(app, user_id: int):
    """A test client signed in as the user (a sign-in row, as the login page makes)."""
    from app.core.sessions import open_session

    with app.app_context():
        session_id = open_session(db.session.get(User, user_id))
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = session_id
        sess["_fresh"] = True
    return client


def inspectors() -> dict[str, int]:
    """Two inspectors: one for a community (about 400 units), one for a street office."""
    leaf = db.session.scalar(db.select(Jurisdiction).where(Jurisdiction.code == "T1-02"))
    top = db.session.scalar(db.select(Jurisdiction).where(Jurisdiction.code == "T1"))
    out = {}
    for key, unit in (("due_list_community", leaf), ("due_list_street", top)):
        user = db.session.scalar(db.select(User).where(User.username == key)) or User(
            username=key, display_name=key, role="inspector", password_hash="x",
            jurisdictions=[unit],
        )  # fmt: skip
        db.session.add(user)
        db.session.flush()
        out[key] = user.id
    db.session.commit()
    return out


def run_sqlite(args) -> None:
    """Build and measure in a SQLite file in a temporary folder under /tmp."""
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        app = app_for(url)
        app.instance_path = tmp
        build(app, args.establishments, args.inspections, args.answers, n_tops=args.tops)
        print(f"SQLite: built in {time.perf_counter() - t0:.1f} s")
        measure(app, f"SQLite {args.establishments} establishments, {args.inspections} inspections")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="N times the city (and streets)")
    parser.add_argument("--establishments", type=int, help="default 20,000 x scale")
    parser.add_argument("--inspections", type=int, help="default 200,000 x scale")
    parser.add_argument("--answers", type=int, default=4, help="answers per inspection")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument("--pages-only", action="store_true", help="no roll-up timings")
    parser.add_argument("--runs", type=int, default=3, help="timed runs, the best is kept")
    parser.add_argument(
        "--correlated-only", action="store_true", help="time only the app's latest strategy"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--database", help="measure this kept PostgreSQL database, no build")
    args = parser.parse_args()
    args.establishments = args.establishments or 20000 * args.scale
    args.inspections = args.inspections or 200000 * args.scale
    args.tops = 5 * args.scale
    RUNS[0] = args.runs
    SKIP_ROLLUP[0] = args.pages_only
    if args.correlated_only:
        STRATEGIES[:] = ["correlated"]
    if not args.database:
        print(f"{args.establishments} establishments, {args.inspections} inspections, "
              f"{args.tops} street offices")  # fmt: skip
    if not args.no_sqlite:
        run_sqlite(args)
    if args.postgres:
        run_postgres(args)


def run_postgres(args) -> None:
    """Build and measure in a database created here, dropped after unless --keep."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = args.database or f"fangxin_bench_{uuid.uuid4().hex[:8]}"
    if not args.database:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
        app = app_for(url)
        if not args.database:
            t0 = time.perf_counter()
            build(app, args.establishments, args.inspections, args.answers, n_tops=args.tops)
            print(f"\nPostgreSQL: built in {time.perf_counter() - t0:.1f} s")
        else:
            with app.app_context():
                from flask_migrate import upgrade

                upgrade()
        measure(app, f"PostgreSQL (database {name})")
        with app.app_context():
            db.engine.dispose()
    finally:
        if not (args.keep or args.database):
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
