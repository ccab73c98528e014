"""Requests per second of the public QR page against a trivial route, under gunicorn.

Usage: .venv/bin/python bench/public_page.py [--seconds 10] [--concurrency 8]

Builds a throwaway instance (flask db upgrade + flask seed demo), gives one demo caterer a
few submitted inspections and an open correction (the heaviest page: smiley, annual grade,
bright kitchen, results list), starts gunicorn -w 2 on a free loopback port, then drives
/healthz and /q/<token> in turn with the same keep-alive client and concurrency. Prints
req/s for both and their ratio (target: the public page at >= 50% of the trivial route).
The public page is measured twice: as deployed (each worker keeps an anonymous visitor's
rendered page for FANGXIN_PUBLIC_CACHE_SECONDS) and with that cache off, i.e. every request
queried and rendered. Loopback only; every phase is bounded in time; gunicorn is stopped.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ROUNDS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare(instance: Path) -> str:
    """Migrate and seed the demo city into instance; returns a caterer's QR token."""
    env = os.environ | {"FLASK_APP": "wsgi.py", "FANGXIN_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    for args in (["db", "upgrade"], ["seed", "demo"]):
        subprocess.run([BIN / "flask", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ["FANGXIN_INSTANCE_PATH"] = str(instance)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app()
    with app.app_context():
        return add_inspections()


def add_inspections() -> str:
    """Three submitted catering inspections and an open correction for one demo caterer."""
    from app.extensions import db
    from app.models import ChecklistVersion, Establishment, Inspection, LedgerEntry, User

    est = db.session.scalar(
        db.select(Establishment).where(Establishment.category == "restaurant_large").limit(1)
    )
    inspector = db.session.scalar(db.select(User).where(User.role == "inspector"))
    version = ChecklistVersion(programme="catering", version="bench", title="bench", content={})
    db.session.add(version)
    db.session.flush()
    now = datetime.now(UTC)
    for days, grade in ((200, "fair"), (90, "good"), (5, "excellent")):
        when = now - timedelta(days=days)
        inspection = Inspection(
            client_uuid=str(uuid.uuid4()), establishment_id=est.id, programme="catering",
            checklist_version_id=version.id, inspector_id=inspector.id, status="submitted",
            started_at=when, submitted_at=when, outcome="basic", grade=grade, score=80,
            bright_kitchen_live=True,
        )  # fmt: skip
        db.session.add(inspection)
        db.session.flush()
    db.session.add(
        LedgerEntry(
            establishment_id=est.id, inspection_id=inspection.id, item_id="x", handling="deadline"
        )
    )
    db.session.commit()
    return est.qr_token


def wait_ready(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def drive(port: int, path: str, seconds: float, concurrency: int) -> float:
    """Requests per second for path: concurrency keep-alive clients for seconds."""
    counts = [0] * concurrency
    errors = [0] * concurrency
    stop_at = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop_at:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
                counts[i] += 1
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sum(errors):
        print(f"  {path}: {sum(errors)} errors or non-200 responses", file=sys.stderr)
    return sum(counts) / (time.monotonic() - started)


def serve(instance: str, port: int) -> subprocess.Popen:
    """gunicorn -w 2 on the instance, on a loopback port, ready to answer."""
    env = os.environ | {"FANGXIN_INSTANCE_PATH": instance}
    server = subprocess.Popen(
        [BIN / "gunicorn", "-w", "2", "-b", f"{HOST}:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_ready(port)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def measure(instance: str, routes: dict[str, str], seconds: float, concurrency: int) -> dict:
    """Requests per second of each route against a fresh gunicorn on the instance.

    The routes take turns in ROUNDS short slices, so load from elsewhere on the machine
    falls on all of them alike and their ratio stays fair.
    """
    port = free_port()
    server = serve(instance, port)
    try:
        for path in routes.values():
            drive(port, path, 1, concurrency)  # warm-up
        rates = dict.fromkeys(routes, 0.0)
        for _ in range(ROUNDS):
            for name, path in routes.items():
                rates[name] += drive(port, path, seconds / ROUNDS, concurrency) / ROUNDS
        return rates
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-") as tmp:
        token = prepare(Path(tmp))
        page = f"/q/{token}"
        rates = measure(
            tmp, {"trivial /healthz": "/healthz", "public /q/<token>": page},
            args.seconds, args.concurrency,
        )  # fmt: skip
        (Path(tmp) / "config.py").write_text("FANGXIN_PUBLIC_CACHE_SECONDS = 0\n")
        rates |= measure(tmp, {"public, cache off": page}, args.seconds, args.concurrency)
    print(f"gunicorn -w 2, SQLite demo city, {args.concurrency} clients x {args.seconds:g} s each")
    for name, rate in rates.items():
        print(f"  {name:20s} {rate:8.1f} req/s")
    trivial = rates["trivial /healthz"]
    public, uncached = rates["public /q/<token>"], rates["public, cache off"]
    print(f"  ratio public/trivial  {public / trivial:6.1%}  (target >= 50%)")
    print(f"  ratio cache off/trivial {uncached / trivial:6.1%}")


if __name__ == "__main__":
    main()
