"""Where the server's CPU goes per inspection of bench.load, measured in one process.

Usage: .venv/bin/python -m bench.load_cpu [--inspections 10] [--profile KIND ...]

The same requests as one phone of bench.load (sign-in, working set, then per inspection a
~330 KB photo as a resumable upload, the submit and its replay), sent through the test
client to an app on a fresh SQLite file, one at a time: the CPU time of each kind
(time.process_time, so other processes on a busy machine count far less than in wall
time), and the photo pipeline's steps on the same photo. --profile login|working_set|
upload|submit|replay prints cProfile's view of that kind, the app's own functions only.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import pstats
import re
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

from bench import load
from bench.load import CHUNK, PASSWORD, PHOTO_ITEM, ROOT, phone_jpeg

KINDS = ("login", "working_set", "upload", "submit", "replay")


def prepare(instance: Path, inspections: int):
    """bench.load's instance for one inspector, and an app on it for the test client."""
    from app import create_app

    people = load.prepare(instance, None, 1, inspections)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'fangxin.db'}",
        "FANGXIN_UPLOAD_DIR": str(instance / "uploads"), "SECRET_KEY": "bench",
    })  # fmt: skip
    return app, people[0]["est_ids"]


def phone_requests(app, est_ids: list[int], profiled: set[str]) -> dict[str, list[float]]:
    """One phone's requests, CPU seconds by kind."""
    cpu: dict[str, list[float]] = defaultdict(list)
    profiles = {kind: cProfile.Profile() for kind in KINDS}
    client = app.test_client()

    def timed(kind, fn):
        profile = profiles[kind] if kind in profiled else None
        began = time.process_time()
        if profile:
            profile.enable()
        result = fn()
        if profile:
            profile.disable()
        cpu[kind].append(time.process_time() - began)
        return result

    def sign_in() -> str:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = {"csrf_token": token, "username": "load00", "password": PASSWORD}
        assert client.post("/login", data=form).status_code == 302
        return json.loads(client.get("/api/v1/field/session").get_data())["csrf_token"]

    client.get("/login")  # templates compiled before the clock starts, as bench.load warms up
    headers = {"X-CSRFToken": timed("login", sign_in), "Accept": "application/json"}
    working = timed("working_set", lambda: client.get("/api/v1/field/offline-set", headers=headers))
    five = json.loads(working.get_data())["programmes"]["five_goods"]
    items = [i["id"] for s in five["sections"] for i in s["items"]]

    def upload(photo: bytes) -> str:
        token = str(uuid.uuid4())
        meta = {"upload": token, "length": len(photo), "filename": "photo.jpg"}
        assert client.post("/media/uploads", json=meta, headers=headers).status_code == 201
        chunk_headers = headers | {"Content-Type": "application/offset+octet-stream"}
        for offset in range(0, len(photo), CHUNK):
            response = client.patch(
                f"/media/uploads/{token}",
                data=photo[offset : offset + CHUNK],
                headers=chunk_headers | {"Upload-Offset": str(offset)},
            )
            assert response.status_code == 200
        finished = client.post(f"/media/uploads/{token}/finish", json={}, headers=headers)
        assert finished.status_code == 200
        return token

    json_headers = headers | {"Content-Type": "application/json"}
    for n, est_id in enumerate(est_ids):
        token = timed("upload", functools.partial(upload, phone_jpeg(n)))
        body = json.dumps({
            "client_uuid": str(uuid.uuid4()), "establishment_id": est_id,
            "programme": "five_goods", "checklist_version": five["version"],
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "answers": {i: {"result": "pass"} for i in items}, "fields": {},
            "second_inspector": "李四", "operator_rep": "王五", "signature": "",
            "verify_actions": [], "presence": {},
            "photos": [{"item_id": PHOTO_ITEM, "upload": token}],
        })  # fmt: skip
        post = functools.partial(
            client.post, "/api/v1/inspections", data=body, headers=json_headers
        )
        assert timed("submit", post).status_code == 201
        assert timed("replay", post).status_code == 200
    for kind in KINDS:
        if kind in profiled:
            out = io.StringIO()
            stats = pstats.Stats(profiles[kind], stream=out).sort_stats("cumulative")
            stats.print_stats(str(ROOT / "app"), 30)
            print(f"\n== cProfile: {kind} ==\n{out.getvalue()}")
    return cpu


def pipeline_steps() -> None:
    """The photo pipeline's steps on one bench photo, CPU ms each."""
    from app.photos import decode, encode, pipeline

    raw = phone_jpeg(7)

    def ms(fn, n: int = 20) -> float:
        fn()
        began = time.process_time()
        for _ in range(n):
            fn()
        return (time.process_time() - began) / n * 1000

    image = decode.decode(raw, 50_000_000, 1600)
    full = encode.flatten(encode.upright(image))
    thumb = encode.fit(full, 320, encode.THUMB_REDUCING_GAP)
    steps = {
        "ingest (all of it)": lambda: pipeline.ingest(raw),
        "decode": lambda: decode.decode(raw, 50_000_000, 1600),
        "thumbnail resize": lambda: encode.fit(full, 320, encode.THUMB_REDUCING_GAP),
        "full JPEG encode": lambda: encode.encode_jpeg(full.copy(), 82, progressive=False),
        "thumbnail encode": lambda: encode.encode_jpeg(thumb.copy(), 82),
    }
    print(f"photo pipeline on a {len(raw) // 1024} KB 1600x1200 photo (CPU ms):")
    for label, fn in steps.items():
        print(f"  {label:<20} {ms(fn):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=10)
    parser.add_argument("--profile", nargs="*", default=[], choices=KINDS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="fangxin-bench-load-cpu-") as tmp:
        app, est_ids = prepare(Path(tmp), args.inspections)
        cpu = phone_requests(app, est_ids, set(args.profile))
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
    print(f"server CPU per request kind, one phone, {args.inspections} inspections (ms):")
    for kind in KINDS:
        values = cpu[kind]
        print(f"  {kind:<12} n={len(values):<3} mean {sum(values) / len(values) * 1000:7.1f}")
    per = sum(sum(cpu[k]) for k in ("upload", "submit", "replay")) / args.inspections
    sign_in = (sum(cpu["login"]) + sum(cpu["working_set"])) * 1000
    print(
        f"  per inspection (upload + submit + replay): {per * 1000:.0f} ms; "
        f"sign-in and working set once per phone: {sign_in:.0f} ms"
    )
    pipeline_steps()


if __name__ == "__main__":
    main()
