"""50 inspectors submitting with phone-sized photos, every submit replayed, under gunicorn.

Usage: .venv/bin/python -m bench.load [--inspectors 50] [--rounds 2] [--databases sqlite,postgresql]
                                      [--ramp SECONDS] [--signed-in]

For each database in turn (a SQLite file in a temporary instance folder; a PostgreSQL
database created on 127.0.0.1:5432 and dropped after): `flask db upgrade`, one street office
with a community per inspector, inspector accounts and rural shops in their communities;
then `gunicorn` from the project root as the README runs it (gunicorn.conf.py, bound to a
free loopback port). Each inspector is a thread speaking HTTP over loopback as the phone
does: signs in, asks /api/v1/field/session and its working set (the checklists in force,
/api/v1/field/offline-set), then per round sends one photo of about 300 KB as a resumable
upload (create, 256 KB chunks, finish; uploads.js) and POSTs the whole inspection to
/api/v1/inspections with it (outbox.js), then replays the identical submit, as the outbox
does when the answer was lost. Afterwards the database is counted: every client UUID one
submitted inspection with its photo, nothing else. Prints errors, lost, duplicates and
latency (p50, p95, max) per request kind. Loopback only; bounded: rounds x inspectors.

--signed-in: every phone signs in and loads its working set first (timed and its server
CPU counted apart), then all submit in the same instant. An inspector signs in once and
stays signed in (remember cookie, 30 days), so this is an ordinary working day; the default
is the first morning, when 50 scrypt checks (~0.13 s of CPU each, kept at werkzeug's
strength) land together with the first submits.
"""

from __future__ import annotations

import argparse
import http.client
import io
import itertools
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from bench.public_page import HOST, free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-load-password"
CHUNK = 256 * 1024
PHOTO_ITEM = "fg.env.01"
# The requests of a submit, as the outbox sends them: the goal's p95 is over these.
SUBMIT_PATH = ("upload_create", "upload_chunk", "upload_finish", "submit", "replay")


def phone_jpeg(seed: int) -> bytes:
    """Like photos.js's output: 1600x1200, JPEG 0.8, a real scene's detail (about 300 KB)."""
    from PIL import Image, ImageDraw

    size = (1600, 1200)
    layers = [Image.linear_gradient("L").rotate(a).resize(size) for a in (0, 90, 45)]
    grain = Image.effect_noise((400, 300), 60).resize(size)
    image = Image.merge("RGB", [Image.blend(g, grain, 0.4) for g in layers])
    ImageDraw.Draw(image).text((40 + seed % 1000, 40), f"photo {seed}", fill=(255, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


# ---- the instance -----------------------------------------------------------------------


def env_for(instance: Path, url: str | None) -> dict:
    env = os.environ | {"FLASK_APP": "wsgi.py", "FANGXIN_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def prepare(instance: Path, url: str | None, inspectors: int, rounds: int) -> list[dict]:
    """Migrate, then inspectors with `rounds` rural shops each; [{username, est_ids}]."""
    env = env_for(instance, url)
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.extensions import db
    from app.models import Establishment, Jurisdiction, User
    from app.registry.codes import new_short_code, new_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{instance / 'fangxin.db'}"})
    people = []
    with app.app_context():
        street = Jurisdiction(code="LD", name="压测街道", kind="street")
        db.session.add(street)
        pw_hash = generate_password_hash(PASSWORD)
        for k in range(inspectors):
            unit = Jurisdiction(code=f"LD-{k:02d}", name=f"社区{k}", kind="community",
                                parent=street)  # fmt: skip
            user = User(username=f"load{k:02d}", display_name=f"检查员{k}", role="inspector",
                        password_hash=pw_hash, jurisdictions=[unit])  # fmt: skip
            shops = [
                Establishment(
                    name=f"压测便民店{k}-{r}",
                    category="rural_shop",
                    jurisdiction=unit,
                    qr_token=new_token(),
                    short_code=new_short_code(),
                )
                for r in range(rounds)
            ]
            db.session.add_all([unit, user, *shops])
            db.session.flush()
            people.append({"username": user.username, "est_ids": [s.id for s in shops]})
        db.session.commit()
        db.engine.dispose()
    return people


def serve(instance: Path, url: str | None) -> tuple[subprocess.Popen, int]:
    """gunicorn as the README runs it (gunicorn.conf.py), on a free loopback port."""
    port = free_port()
    log = (instance / "gunicorn.log").open("wb")
    server = subprocess.Popen([BIN / "gunicorn", "-b", f"{HOST}:{port}"], cwd=ROOT,
                              env=env_for(instance, url), start_new_session=True,
                              stdout=log, stderr=log)  # fmt: skip
    try:
        wait_ready(port, timeout=60)
    except SystemExit:
        os.killpg(server.pid, signal.SIGTERM)
        raise SystemExit((instance / "gunicorn.log").read_text()[-2000:]) from None
    return server, port


# ---- one phone ----------------------------------------------------------------------------


class Phone:
    """One inspector's phone: its cookie, CSRF token, and every request's time by kind."""

    def __init__(self, port: int, times: dict, errors: list, retried: list) -> None:
        self.port, self.times, self.errors, self.retried = port, times, errors, retried
        self.cookie, self.csrf = "", ""
        self.conn: http.client.HTTPConnection | None = None

    def request(self, kind, method, path, body=b"", headers=None, expect=(200,)):
        """(status, body), timed under kind with any retries; a status still unexpected
        after them is an error. A 5xx is retried as the phone does (uploads.js, outbox.js:
        transient) after 1, 2 and 4 s, and counted under `retried`."""
        began = time.monotonic()
        for delay in (1, 2, 4, None):
            status, data = self._exchange(kind, method, path, body, headers)
            if not (status == 0 or (status >= 500 and status != 507)) or delay is None:
                break
            self.retried.append(f"{kind}: {status} {data[:80]!r}")
            time.sleep(delay)
        self.times[kind].append(time.monotonic() - began)
        if status not in expect:
            self.errors.append(f"{kind}: {status} {data[:160]!r}")
        return status, data

    def _exchange(self, kind, method, path, body, headers):
        headers = {"Cookie": self.cookie} | (headers or {})
        try:
            response, data = self._send(method, path, body, headers)
        except OSError as exc:
            return 0, repr(exc).encode()
        if response.will_close:
            self.conn.close()
            self.conn = None
        for cookie in response.msg.get_all("Set-Cookie") or []:
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def _send(self, method, path, body, headers):
        """One exchange; a kept-alive connection the server had closed is opened again once,
        as browsers do (nothing reached the app on it)."""
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if not reused or attempt:
                    raise
            except OSError:
                self.conn.close()
                self.conn = None
                raise
        raise AssertionError("unreachable")

    def api(self, kind, method, path, data=None, expect=(200,), raw=None, headers=None):
        body = raw if raw is not None else json.dumps(data).encode()
        headers = {"X-CSRFToken": self.csrf, "Accept": "application/json",
                   "Content-Type": "application/json"} | (headers or {})  # fmt: skip
        status, answer = self.request(kind, method, path, body, headers, expect)
        try:
            return status, json.loads(answer) if answer else {}
        except ValueError:
            return status, {}

    def sign_in(self, username: str) -> None:
        page = self.request("login_page", "GET", "/login")[1].decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        form = f"csrf_token={token.group(1)}&username={username}&password={PASSWORD}"
        self.request("login", "POST", "/login", form.encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"}, (302,))  # fmt: skip
        _, data = self.api("session", "GET", "/api/v1/field/session", raw=b"")
        self.csrf = data.get("csrf_token", "")

    def checklist(self) -> tuple[str, list[str]]:
        """The five-goods checklist in force from the working set: (version, item ids)."""
        _, data = self.api("working_set", "GET", "/api/v1/field/offline-set", raw=b"")
        five = data["programmes"]["five_goods"]
        items = [i["id"] for s in five["sections"] for i in s["items"]]
        return five["version"], items

    def upload(self, photo: bytes) -> str:
        token = str(uuid.uuid4())
        meta = {"upload": token, "length": len(photo), "filename": "photo.jpg"}
        self.api("upload_create", "POST", "/media/uploads", meta, (201,))
        for offset in range(0, len(photo), CHUNK):
            self.api("upload_chunk", "PATCH", f"/media/uploads/{token}",
                     raw=photo[offset : offset + CHUNK],
                     headers={"Upload-Offset": str(offset),
                              "Content-Type": "application/offset+octet-stream"})  # fmt: skip
        self.api("upload_finish", "POST", f"/media/uploads/{token}/finish", {})
        return token

    def inspect(self, est_id: int, version: str, items: list[str], photo: bytes) -> dict:
        """Photo, submit, replay: what the server answered each time."""
        token = self.upload(photo)
        body = json.dumps({
            "client_uuid": str(uuid.uuid4()), "establishment_id": est_id,
            "programme": "five_goods", "checklist_version": version,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "answers": {i: {"result": "pass"} for i in items}, "fields": {},
            "second_inspector": "李四", "operator_rep": "王五", "signature": "",
            "verify_actions": [], "presence": {},
            "photos": [{"item_id": PHOTO_ITEM, "upload": token}],
        }).encode()  # fmt: skip
        first = self.api("submit", "POST", "/api/v1/inspections", raw=body, expect=(201,))
        again = self.api("replay", "POST", "/api/v1/inspections", raw=body, expect=(200,))
        uid = json.loads(body)["client_uuid"]
        if first[1].get("id") is None or first[1].get("id") != again[1].get("id"):
            self.errors.append(f"replay of {uid} answered {again[0]} id {again[1].get('id')}")
        return {"client_uuid": uid, "id": first[1].get("id")}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def warm_up(port: int, n: int = 32) -> None:
    """Every worker and thread imports its templates before the clock starts."""

    def hit() -> None:
        for path in ("/healthz", "/login"):
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            try:
                conn.request("GET", path)
                conn.getresponse().read()
            finally:
                conn.close()

    threads = [threading.Thread(target=hit) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def run_phones(
    port: int, people: list[dict], photos: list[list[bytes]], ramp: float, signed_in: bool,
    server_pid: int,
) -> tuple:  # fmt: skip
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    retried: list[str] = []
    sent: list[dict] = []
    start = threading.Barrier(len(people))

    def submits_begin() -> None:  # with --signed-in: the clock and CPU count start here
        SIGN_IN[:] = [cpu_seconds(server_pid) - SIGN_IN[0], time.monotonic() - SIGN_IN[1]]
        SIGN_IN.extend([cpu_seconds(server_pid), time.monotonic()])

    all_signed_in = threading.Barrier(len(people), action=submits_begin)

    def phone(person: dict, mine: list[bytes]) -> None:
        device = Phone(port, times, errors, retried)
        start.wait()
        time.sleep(ramp * people.index(person) / len(people))
        try:
            device.sign_in(person["username"])
            version, items = device.checklist()
            if signed_in:  # every phone signed in (as after the first morning): now at once
                all_signed_in.wait(timeout=600)
            for est_id, photo in zip(person["est_ids"], mine, strict=True):
                sent.append(device.inspect(est_id, version, items, photo))
        except Exception as exc:  # any failure of a phone is an error counted
            errors.append(f"{person['username']}: {exc!r}")
        finally:
            if device.conn is not None:
                device.conn.close()

    threads = [
        threading.Thread(target=phone, args=(p, ph)) for p, ph in zip(people, photos, strict=True)
    ]
    began = time.monotonic()
    SIGN_IN[:] = [cpu_seconds(server_pid), began]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    RETRIED[:] = retried
    if signed_in:  # the submit phase only: from the moment every phone was signed in
        return times, errors, sent, time.monotonic() - SIGN_IN[3], SIGN_IN[2]
    return times, errors, sent, time.monotonic() - began, None


# ---- counting -----------------------------------------------------------------------------


def count(instance: Path, url: str | None, people: list[dict]) -> dict:
    """What the database holds for the bench's inspectors."""
    from app import create_app
    from app.extensions import db
    from app.models import Inspection, Photo, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{instance / 'fangxin.db'}"})
    with app.app_context():
        names = [p["username"] for p in people]
        rows = db.session.execute(
            db.select(Inspection.client_uuid, Inspection.status, Inspection.establishment_id)
            .join(User, Inspection.inspector_id == User.id)
            .where(User.username.in_(names))
        ).all()
        photos = db.session.execute(
            db.select(Inspection.client_uuid, Photo.item_id)
            .join(Photo, Photo.inspection_id == Inspection.id)
            .join(User, Inspection.inspector_id == User.id)
            .where(User.username.in_(names))
        ).all()
        db.engine.dispose()
    return {"inspections": rows, "photos": photos}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label, people, times, errors, sent, took, held) -> None:
    expected = len(people) * len(people[0]["est_ids"])
    uuids = [s["client_uuid"] for s in sent]
    stored = [r.client_uuid for r in held["inspections"] if r.status == "submitted"]
    with_photo = [u for u, item in held["photos"] if item == PHOTO_ITEM]
    lost = len(set(uuids) - set(stored)) + (expected - len(uuids))
    # Rows beyond one per client UUID sent, and establishments inspected more than once.
    duplicates = len(held["inspections"]) - len(set(stored) & set(uuids))
    duplicates += sum(n - 1 for n in _counts(r.establishment_id for r in held["inspections"]))
    photos_lost = len(set(uuids) - set(with_photo))
    photos_doubled = len(with_photo) - len(set(with_photo))
    every = [t for kind in SUBMIT_PATH for t in times[kind]]
    print(f"\n{label}: {len(people)} inspectors x {len(people[0]['est_ids'])} rounds, "
          f"{expected} inspections with a {PHOTO_KB[0]} KB photo each, every submit replayed; "
          f"{took:.1f} s wall, load average before/after {LOAD[0]} / {os.getloadavg()[0]:.2f}")  # fmt: skip
    if SIGN_IN_ONLY[0]:
        cpu, wall = SIGN_IN_ONLY[0]
        print(f"  sign-in phase first (every phone signs in and loads its working set, then "
              f"all submit at once): {wall:.1f} s wall, server CPU {cpu:.1f} s, "
              f"{cpu / len(people):.3f} s per phone; the figures below are the submit phase")  # fmt: skip
        print(f"  server CPU (gunicorn master and workers) {CPU[0]:.1f} s, "
              f"{CPU[0] / expected:.3f} s per inspection (no sign-in)")  # fmt: skip
    else:
        print(f"  server CPU (gunicorn master and workers) {CPU[0]:.1f} s, "
              f"{CPU[0] / expected:.3f} s per inspection (sign-in share included)")  # fmt: skip
    # How much of the machine the server got: well under the core count = others were busy.
    print(f"  the server used {CPU[0] / took:.2f} of {os.cpu_count()} cores on average")
    print(f"  errors {len(errors)}, lost {lost}, duplicates {duplicates}, photos lost "
          f"{photos_lost}, photos doubled {photos_doubled}; stored {len(stored)} submitted "
          f"of {expected}")  # fmt: skip
    for message in errors[:8]:
        print(f"    error: {message}")
    print(f"  5xx answers retried as the phone does: {len(RETRIED)}")
    for message in sorted(set(RETRIED))[:4]:
        print(f"    retried: {message}")
    print(f"  {'request':<14} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    for kind in [*times, "submit path"]:
        values = every if kind == "submit path" else times[kind]
        print(f"  {kind:<14} {len(values):>5} {statistics.median(values):8.3f} "
              f"{pct(values, 0.95):8.3f} {max(values):8.3f}")  # fmt: skip
    verdict = not errors and not lost and not duplicates and not photos_lost
    verdict = verdict and not photos_doubled and pct(every, 0.95) < 2
    print(f"  goal (0 errors, 0 lost, 0 duplicates, submit path p95 < 2 s): "
          f"{'met' if verdict else 'MISSED'}")  # fmt: skip


def server_errors(log: Path) -> None:
    """The server's own account of what failed: the last line of each traceback."""
    text = log.read_text(errors="replace")
    kept = Path(tempfile.gettempdir()) / f"fangxin-load-{log.parent.parent.name}.log"
    kept.write_text(text)
    lines = text.splitlines()
    ends = [b for a, b in itertools.pairwise(lines) if a.startswith("  ") and
            not b.startswith(" ") and "Error" in b]  # fmt: skip
    for line in sorted(set(ends))[:8]:
        print(f"    server: {line[:200]}")
    print(f"    (the server's log is kept in {kept})")


def _counts(values) -> list[int]:
    seen: dict = defaultdict(int)
    for v in values:
        seen[v] += 1
    return list(seen.values())


PHOTO_KB = [0]
LOAD = ["?"]
CPU = [0.0]
RETRIED: list[str] = []
SIGN_IN: list[float] = []  # CPU and clock marks around the sign-in phase (--signed-in)
SIGN_IN_ONLY: list = [None]  # (server CPU, wall) of the sign-in phase, with --signed-in


def run(kind: str, inspectors: int, rounds: int, ramp: float, signed_in: bool = False) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    rng = random.Random(15)
    photos = [[phone_jpeg(rng.randrange(10**6)) for _ in range(rounds)] for _ in range(inspectors)]
    PHOTO_KB[0] = sum(len(p) for ph in photos for p in ph) // (inspectors * rounds) // 1024
    with tempfile.TemporaryDirectory(prefix=f"fangxin-bench-load-{kind}-") as tmp:
        instance, url, admin, name = Path(tmp) / "instance", None, None, None
        instance.mkdir()
        if kind == "postgresql":
            name = f"fangxin_load_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
        try:
            people = prepare(instance, url, inspectors, rounds)
            server, port = serve(instance, url)
            try:
                warm_up(port)
                LOAD[0] = f"{os.getloadavg()[0]:.2f}"
                cpu = cpu_seconds(server.pid)
                times, errors, sent, took, submits_cpu = run_phones(
                    port, people, photos, ramp, signed_in, server.pid
                )
                CPU[0] = cpu_seconds(server.pid) - (cpu if submits_cpu is None else submits_cpu)
                SIGN_IN_ONLY[0] = tuple(SIGN_IN[:2]) if signed_in else None
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            held = count(instance, url, people)
            how = "signed in first, then submitting" if signed_in else "started"
            report(f"{kind} under gunicorn (gunicorn.conf.py), {how} over {ramp:g} s", people,
                   times, errors, sent, took, held)  # fmt: skip
            if errors or RETRIED:
                server_errors(instance / "gunicorn.log")
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspectors", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="seconds over which the phones start (0: all at once)")  # fmt: skip
    parser.add_argument("--signed-in", action="store_true",
                        help="every phone signs in first (timed apart), then all submit at "
                             "once: the day after the first sign-in (the remember cookie "
                             "lasts 30 days), not the first morning")  # fmt: skip
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    for kind in args.databases.split(","):
        run(kind, args.inspectors, args.rounds, args.ramp, args.signed_in)


if __name__ == "__main__":
    main()
