"""The offline field app: working-set size, opening a checklist offline, syncing a queue.

Usage: python bench/offline.py [establishments] [--no-browser] [--no-server]   (default 500,
SQLite in a temp folder; the browser parts need Chromium at /usr/bin/chromium and Playwright)

Prints
- the inspector's offline set (GET /api/v1/field/offline-set) for that many establishments in
  their areas, raw and gzip-compressed (goal: <= 1 MB compressed);
- the time to open a checklist with no network from the service worker's cache: the
  establishment's URL (served as the offline page) to a rendered five-goods form;
- the time for 20 inspections queued offline (one photo each) to sync once the signal is back;
- under gunicorn as the README runs it (gunicorn.conf.py), /healthz latency while 8 phones
  upload photo chunks at 40 KB/s, and whether a 3 MB photo at 80 KB/s gets through
  (bench/uploads.py, which also compares the old sync workers).
"""

from __future__ import annotations

import gzip
import io
import logging
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from app import create_app
from app.checklists import get_programme
from app.extensions import db
from app.models import Establishment, Jurisdiction, LedgerEntry, User
from app.registry.codes import new_short_code, new_token

PASSWORD = "bench-password"
CATEGORIES = ["rural_shop"] * 5 + ["small_shop"] * 3 + ["stall"] * 2 + ["school_canteen"]
CHROMIUM = "/usr/bin/chromium"
QUEUED = 20


def build(n: int) -> tuple[User, list[int]]:
    """n establishments over 12 villages of one street office, like a township's register."""
    rng = random.Random(5)
    street = Jurisdiction(code="YM", name="城关街道", kind="street")
    villages = [
        Jurisdiction(code=f"YM-{i:02d}", name=f"第{i}村", kind="village", parent=street)
        for i in range(12)
    ]
    inspector = User(
        username="inspector", display_name="检查员", role="inspector",
        password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
        jurisdictions=[street],
    )  # fmt: skip
    db.session.add_all([street, *villages, inspector])
    db.session.flush()
    ids = []
    for k in range(n):
        est = Establishment(
            name=f"{rng.choice('张王李赵刘陈杨黄')}记{rng.choice(['便民店', '副食店', '小吃', '超市'])}{k}",
            category=CATEGORIES[k % len(CATEGORIES)],
            jurisdiction=villages[k % 12],
            address=f"{villages[k % 12].name}{rng.randint(1, 12)}组{rng.randint(1, 99)}号",
            risk_grade="ABCD"[k % 4],
            qr_token=new_token(),
            short_code=new_short_code(),
            created_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        db.session.add(est)
        ids.append(est)
    db.session.flush()
    db.session.commit()
    return inspector, [e.id for e in ids]


def add_entries(inspector: User, est_ids: list[int]) -> None:
    """A submitted inspection with a written deadline on every 5th establishment."""
    from app.inspections.whole import submit_data

    answers = {i.id: {"result": "pass"} for i in get_programme("five_goods").items}
    answers["fg.lic.03"] = {"result": "fail", "handling": "deadline",
                            "due_date": (date.today() + timedelta(days=7)).isoformat()}  # fmt: skip
    people = {"second_inspector": "李四", "operator_rep": "王五"}
    for est_id in est_ids[::5]:
        est = db.session.get(Establishment, est_id)
        if est.category == "rural_shop":
            submit_data(inspector, est, "five_goods", str(uuid.uuid4()), answers, {}, people)
    print(f"ledger entries open: {db.session.scalar(db.select(db.func.count(LedgerEntry.id)))}")


def offline_set_size(app) -> None:
    client = app.test_client()
    client.post("/login", data={"username": "inspector", "password": PASSWORD})
    start = time.perf_counter()
    response = client.get("/api/v1/field/offline-set")
    took = time.perf_counter() - start
    body = response.get_data()
    data = response.get_json()
    packed = len(gzip.compress(body, 6))
    print(
        f"offline set: {len(data['establishments'])} establishments, {len(data['due'])} due, "
        f"{len(data['programmes'])} checklists: {len(body) / 1024:.0f} KB raw, "
        f"{packed / 1024:.0f} KB gzip (goal <= 1024 KB), built in {took * 1000:.0f} ms"
    )


def jpeg_bytes() -> bytes:
    from PIL import Image

    # Like photos.js's output: 1600x1200, JPEG 0.8, a real scene's detail (about 300 KB).
    size = (1600, 1200)
    layers = [Image.linear_gradient("L").rotate(a).resize(size) for a in (0, 90, 45)]
    grain = Image.effect_noise((400, 300), 60).resize(size)
    image = Image.merge("RGB", [Image.blend(g, grain, 0.4) for g in layers])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


QUEUE_JS = """
async ([n, estIds, version, answers, photo]) => {
  const bytes = Uint8Array.from(atob(photo), c => c.charCodeAt(0));
  for (let k = 0; k < n; k++) {
    const id = crypto.randomUUID();
    await FangxinDB.putDraft({client_uuid: id, establishment_id: estIds[k], programme: "five_goods",
      checklist_version: version, started_at: new Date().toISOString(), answers: answers,
      fields: {}, second_inspector: "李四", operator_rep: "王五", signature: "",
      verify_actions: [], presence: {start: null, submit: null}, state: "queued", message: ""});
    await FangxinDB.putPhoto({id: crypto.randomUUID(), client_uuid: id, item_id: "fg.env.01",
      blob: new Blob([bytes], {type: "image/jpeg"}), exif: null, state: "waiting", upload: null});
  }
}
"""


def browser_figures(app, est_ids: list[int]) -> None:
    import base64

    from playwright.sync_api import expect, sync_playwright

    from tests.live import LiveServer

    server = LiveServer(app)
    server.start()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="zh-CN", base_url=server.url)  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto("/login")
        page.fill("#username", "inspector")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.goto("/field/")
        ready = "caches.open('fangxin-pages').then(c => c.match('/field/offline'))"
        for _ in range(100):
            if page.evaluate(f"{ready}.then(r => !!r && !!navigator.serviceWorker.controller)"):
                break
            page.reload()
        shop = next(i for i in est_ids if db.session.get(Establishment, i).category == "rural_shop")
        context.set_offline(True)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            page.goto(f"/field/establishments/{shop}")
            page.click('[data-start="five_goods"]')
            page.wait_for_selector("#offline-checklist [data-item]")
            times.append(time.perf_counter() - start)
        print(
            f"open a checklist offline (establishment URL -> five-goods form, from the cache): "
            f"{min(times) * 1000:.0f} ms best, {sorted(times)[2] * 1000:.0f} ms median of 5"
        )
        version = page.evaluate(
            "FangxinDB.meta('working-set').then(s => s.data.programmes.five_goods.version)"
        )
        answers = {i.id: {"result": "pass"} for i in get_programme("five_goods").items}
        shops = [i for i in est_ids if db.session.get(Establishment, i).category == "rural_shop"]
        page.evaluate(
            "FangxinDB.drafts().then(ds => Promise.all(ds.map(d => FangxinDB.deleteDraft(d.client_uuid))))"
        )
        photo = base64.b64encode(jpeg_bytes()).decode()
        page.evaluate(QUEUE_JS, [QUEUED, shops[:QUEUED], version, answers, photo])
        context.set_offline(False)
        start = time.perf_counter()
        page.evaluate("FangxinOutbox.sendAll()")
        took = time.perf_counter() - start
        left = page.evaluate("FangxinDB.pending().then(p => p.length)")
        expect(page.locator("body")).to_be_visible()
        print(
            f"sync {QUEUED} inspections queued offline, one {len(photo) * 3 // 4 // 1024} KB photo "
            f"each (resumable upload, then the submit): {took:.1f} s, {left} left in the outbox"
        )
        browser.close()
    server.stop()


def main():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 500
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", "SECRET_KEY": "b",
            "FANGXIN_UPLOAD_DIR": f"{tmp}/uploads", "WTF_CSRF_ENABLED": False,
        })  # fmt: skip
        with app.app_context():
            upgrade()
            inspector, est_ids = build(n)
            add_entries(inspector, est_ids)
            offline_set_size(app)
            if "--no-browser" not in sys.argv and Path(CHROMIUM).exists():
                browser_figures(app, est_ids)
    if "--no-server" not in sys.argv:
        server_figures()


def server_figures() -> None:
    """/healthz under gunicorn as the README runs it while 8 phones upload (bench.uploads)."""
    from bench import uploads

    with tempfile.TemporaryDirectory(prefix="fangxin-bench-offline-") as tmp:
        instance = Path(tmp) / "instance"
        uploads.measure("gthread", instance, uploads.prepare(instance), 8, 15)


if __name__ == "__main__":
    main()
