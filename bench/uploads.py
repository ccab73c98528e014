"""Slow phones uploading photos under gunicorn: is /healthz still quick, do big uploads finish?

Usage: .venv/bin/python -m bench.uploads [--seconds 20] [--phones 8]

Builds a throwaway instance (flask db upgrade + flask seed demo --scale 0.2), then for two
server setups in turn:
  sync     `gunicorn -w 4 wsgi:app`, the README's command before gunicorn.conf.py;
  gthread  `gunicorn` from the project root, which reads gunicorn.conf.py (as deployed now).
Each time, signed in as the demo inspector over loopback sockets throttled in this script:
  1. `--phones` phones each send resumable-upload chunks (256 KB) at 40 KB/s for `--seconds`
     while /healthz is fetched every 0.25 s: its latency (goal: under 0.5 s);
  2. a 3 MB photo at 80 KB/s, as one plain form POST (the no-JS path) and as resumable
     chunks, at the same time: whether each completes (the worker timeout is 30 s).
Loopback only; every phase is bounded in time; gunicorn is stopped.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.public_page import HOST, free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHUNK = 256 * 1024
PHONE_RATE = 40 * 1024
BIG_RATE = 80 * 1024
SETUPS = {
    "sync": ["-c", "/dev/null", "-w", "4", "-k", "sync", "wsgi:app"],
    "gthread": [],  # gunicorn.conf.py
}


def env_for(instance: Path) -> dict:
    env = os.environ | {"FLASK_APP": "wsgi.py", "FANGXIN_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    return env


def prepare(instance: Path) -> int:
    """Migrate and seed a small demo city; returns an establishment id of the inspector's."""
    env = env_for(instance)
    for args in (["db", "upgrade"], ["seed", "demo", "--scale", "0.2"]):
        subprocess.run([BIN / "flask", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ.update({"FANGXIN_INSTANCE_PATH": str(instance)})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.core.scope import establishment_scope
    from app.extensions import db
    from app.models import Establishment, User

    with create_app().app_context():
        inspector = db.session.scalar(db.select(User).where(User.username == "inspector"))
        stmt = db.select(Establishment.id).where(establishment_scope(inspector)).limit(1)
        return db.session.scalar(stmt)


def big_jpeg(target: int = 3 * 1024 * 1024) -> bytes:
    """A valid JPEG of about target bytes (noise compresses badly)."""
    from PIL import Image

    side = 1000
    while True:
        image = Image.frombytes("RGB", (side, side * 3 // 4), os.urandom(side * side * 9 // 4))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=92)
        if out.tell() >= target:
            return out.getvalue()
        side += 200


# ---- HTTP over loopback, the body throttled -------------------------------------------


class Session:
    """The demo inspector's cookie and CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        page = self.request("GET", "/login")[1].decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf-token" content="([^"]+)"', page
        )
        form = f"csrf_token={token.group(1)}&username=inspector&password=fangxin-inspector"
        status, _ = self.request("POST", "/login", form.encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert status == 302, f"login failed: {status}"
        field = self.request("GET", "/field/")[1].decode()
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', field).group(1)

    def request(self, method, path, body=b"", headers=None, rate=None, timeout=120):
        """(status, body); status 0 when the server dropped the connection."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.putrequest(method, path)
            for key, value in ({"Cookie": self.cookie} | (headers or {})).items():
                conn.putheader(key, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders()
            send_throttled(conn, body, rate)
            response = conn.getresponse()
            data = response.read()
        except OSError:
            return 0, b""
        finally:
            conn.close()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def api(self, method, path, body=b"", headers=None, rate=None):
        headers = {"X-CSRFToken": self.csrf, "Accept": "application/json"} | (headers or {})
        return self.request(method, path, body, headers, rate)


def send_throttled(conn, body: bytes, rate: int | None) -> None:
    """Send body at rate bytes/s in 20 slices a second (all at once without a rate)."""
    if not rate:
        conn.send(body)
        return
    step, start = max(1, rate // 20), time.monotonic()
    for i in range(0, len(body), step):
        conn.send(body[i : i + step])
        time.sleep(max(0.0, start + (i + step) / rate - time.monotonic()))


def create_upload(session: Session, length: int) -> str:
    body = json.dumps({"upload": str(uuid.uuid4()), "length": length, "filename": "b.jpg"})
    status, data = session.api("POST", "/media/uploads", body.encode(),
                               {"Content-Type": "application/json"})  # fmt: skip
    assert status == 201, (status, data[:200])
    return json.loads(data)["upload"]


def chunked(session: Session, data: bytes, rate: int, stop_at: float | None = None) -> str:
    """Send data as resumable chunks at rate; 'completed' after finish, else what failed."""
    token = create_upload(session, len(data))
    for offset in range(0, len(data), CHUNK):
        if stop_at is not None and time.monotonic() > stop_at:
            return "stopped"
        headers = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
        status, _ = session.api("PATCH", f"/media/uploads/{token}",
                                data[offset : offset + CHUNK], headers, rate)  # fmt: skip
        if status != 200:
            return f"chunk at {offset} answered {status or 'connection dropped'}"
    status, _ = session.api("POST", f"/media/uploads/{token}/finish", b"{}",
                            {"Content-Type": "application/json"})  # fmt: skip
    return "completed" if status == 200 else f"finish answered {status}"


def plain_post(session: Session, est_id: int, data: bytes, rate: int) -> str:
    """The whole photo in one multipart POST (the no-JS establishment photo form)."""
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{session.csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="photo"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n')  # fmt: skip
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _ = session.request("POST", f"/media/establishments/{est_id}/photos", body,
                                headers, rate, timeout=90)  # fmt: skip
    return "completed" if status == 302 else f"answered {status or 'connection dropped'}"


# ---- the phases -------------------------------------------------------------------------


def healthz_under_phones(session: Session, phones: int, seconds: float) -> list[float]:
    stop_at = time.monotonic() + seconds
    junk = b"\xff\xd8\xff" + os.urandom(4 * CHUNK)  # never finished: just chunks on the wire

    def phone() -> None:
        while time.monotonic() < stop_at:
            chunked(session, junk, PHONE_RATE, stop_at)

    threads = [threading.Thread(target=phone, daemon=True) for _ in range(phones)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # let every phone get a chunk going
    latencies = []
    while time.monotonic() < stop_at:
        began = time.monotonic()
        conn = http.client.HTTPConnection(HOST, session.port, timeout=60)
        try:
            conn.request("GET", "/healthz")
            conn.getresponse().read()
        finally:
            conn.close()
        latencies.append(time.monotonic() - began)
        time.sleep(0.25)
    for thread in threads:
        thread.join(timeout=20)
    return latencies


def big_uploads(session: Session, est_id: int) -> dict[str, tuple[str, float]]:
    data = big_jpeg()
    results: dict[str, tuple[str, float]] = {}

    def run(name, fn, *args) -> None:
        began = time.monotonic()
        outcome = fn(session, *args)
        results[name] = (outcome, time.monotonic() - began)

    threads = [
        threading.Thread(target=run, args=("plain POST", plain_post, est_id, data, BIG_RATE)),
        threading.Thread(target=run, args=("resumable chunks", chunked, data, BIG_RATE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(f"    3 MB photo = {len(data) / 1024 / 1024:.2f} MB at {BIG_RATE // 1024} KB/s")
    return results


def serve(setup: str, instance: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    args = [BIN / "gunicorn", "-b", f"{HOST}:{port}", *SETUPS[setup]]
    log = (instance / f"gunicorn-{setup}.log").open("wb")
    server = subprocess.Popen(args, cwd=ROOT, env=env_for(instance), start_new_session=True,
                              stdout=log, stderr=log)  # fmt: skip
    try:
        wait_ready(port, timeout=60)
    except SystemExit:
        os.killpg(server.pid, signal.SIGTERM)
        raise SystemExit((instance / f"gunicorn-{setup}.log").read_text()[-2000:]) from None
    return server, port


def measure(setup: str, instance: Path, est_id: int, phones: int, seconds: float) -> None:
    server, port = serve(setup, instance)
    try:
        session = Session(port)
        print(f"\n{setup}: gunicorn {' '.join(SETUPS[setup]) or '(gunicorn.conf.py)'}")
        lat = healthz_under_phones(session, phones, seconds)
        print(f"  /healthz while {phones} phones send chunks at {PHONE_RATE // 1024} KB/s "
              f"({len(lat)} probes): median {statistics.median(lat):.3f} s, "
              f"max {max(lat):.3f} s, goal < 0.5 s: {'met' if max(lat) < 0.5 else 'MISSED'}")  # fmt: skip
        for name, (outcome, took) in big_uploads(session, est_id).items():
            print(f"  3 MB at {BIG_RATE // 1024} KB/s, {name}: {outcome} in {took:.1f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--phones", type=int, default=8)
    parser.add_argument("--setups", default="sync,gthread")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-uploads-") as tmp:
        instance = Path(tmp) / "instance"
        est_id = prepare(instance)
        for setup in args.setups.split(","):
            measure(setup, instance, est_id, args.phones, args.seconds)


if __name__ == "__main__":
    main()
