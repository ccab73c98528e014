"""The field app with no signal at all, on a 390x844 phone in Chromium.

"Offline" means none: the browser context is offline AND the server refuses every request
while it is (a WSGI gate records them); the test asserts the server received nothing.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.extensions import db
from app.models import Inspection, LedgerEntry, Photo
from tests import no_signal
from tests.conftest import no_sideways_scroll, screenshot
from tests.factories import FAIL_ITEM, PHOTO_ITEM, due_in

pytestmark = pytest.mark.browser


class Gate:
    """WSGI middleware: while `offline`, every request is recorded and refused."""

    def __init__(self, wsgi_app):
        self.wsgi_app, self.offline, self.refused, self.seen = wsgi_app, False, [], []

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if self.offline:
            if not no_signal.browser_update_check(method, path, environ.get("HTTP_SERVICE_WORKER")):
                self.refused.append(path)  # refused all the same: the old worker stays
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"offline"]
        self.seen.append((method, path))
        return self.wsgi_app(environ, start_response)


@pytest.fixture
def gate(app, phone):
    app.wsgi_app = Gate(app.wsgi_app)
    app.wsgi_app.in_flight = no_signal.InFlight(phone.context)
    return app.wsgi_app


def go_offline(page, gate):
    """No signal: the browser offline, its every request aborted, and the server refusing
    once the requests sent before (a working-set refresh of the last page, say) are answered."""
    gate.tried = no_signal.cut(page.context).tried
    gate.in_flight.settle(page)
    gate.offline = True


def go_online(context, gate):
    gate.offline = False
    no_signal.restore(context)


def jpeg_file(tmp_path):
    path = tmp_path / "shelf.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 60, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def prepare_offline(page):
    """Online once: the worker is installed and the working set and pages are on the phone."""
    page.goto("/field/")
    status = re.compile("离线资料更新于|Offline data updated")
    expect(page.locator(".offline-status")).to_contain_text(status, timeout=15_000)
    for _ in range(100):
        ready = page.evaluate(
            "caches.open('fangxin-pages').then(c => c.match('/field/offline'))"
            ".then(r => !!r && !!navigator.serviceWorker.controller)"
        )
        if ready:
            return
        page.reload()
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never kept the offline page")


def sign(page):
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 15):
        page.mouse.move(box["x"] + 30 + step * 15, box["y"] + 60 + (step % 4) * 12, steps=2)
    page.mouse.up()


def run_five_goods(page, tmp_path):
    """Answer the five-goods checklist offline: two failures, one with a photo, signed."""
    from app.checklists import get_programme

    for item in get_programme("five_goods").items:
        choice = "fail" if item.id in (FAIL_ITEM, PHOTO_ITEM) else "pass"
        page.click(f'label[for="r-{item.id.replace(".", "-")}-{choice}"]')
    page.select_option(f'[id="h-{FAIL_ITEM}"]', "deadline")
    page.fill(f'[id="d-{FAIL_ITEM}"]', due_in())
    page.select_option(f'[id="h-{PHOTO_ITEM}"]', "on_spot")
    page.set_input_files(f'[id="ph-{PHOTO_ITEM}"]', str(jpeg_file(tmp_path)))
    expect(page.locator(f'[data-count="{PHOTO_ITEM}"]')).to_contain_text("1 张照片")
    page.fill("#second_inspector", "李四")
    page.fill("#operator_rep", "王五")
    sign(page)
    expect(page.locator("#save-status")).to_contain_text("已保存在本机")


def test_a_whole_inspection_with_no_signal(city, shop, browser_login, phone, gate, tmp_path):
    page = browser_login(city.inspector)
    prepare_offline(page)
    go_offline(page, gate)

    page.goto("/field/")
    expect(page.locator("#offline-app")).to_contain_text(shop.name)
    page.goto("/field/scan")
    page.fill("#short-code-input", shop.short_code.lower()[:4] + " " + shop.short_code[4:])
    page.click("#short-code-form button[type=submit]")
    expect(page.locator("#offline-app h1")).to_have_text(shop.name)
    page.click('[data-start="five_goods"]')
    page.wait_for_selector("#offline-checklist")
    no_sideways_scroll(page)
    run_five_goods(page, tmp_path)
    screenshot(page, "offline-checklist")
    page.click("#offline-submit")
    expect(page.locator("#outbox-list .outbox-item")).to_have_count(1)
    screenshot(page, "offline-outbox")

    context = page.context
    page.close()
    page = context.new_page()
    page.goto("/field/offline#/outbox")
    item = page.locator("#outbox-list .outbox-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(shop.name)
    expect(item).to_contain_text("照片 1")
    refused_while_offline = list(gate.refused)
    # The phone did not even try background work (working-set refresh, outbox, uploads).
    assert no_signal.background(gate.tried) == []

    go_online(page.context, gate)
    expect(page.locator("#outbox-empty")).to_be_visible(timeout=30_000)
    expect(page.locator("#outbox-sent .outbox-item")).to_have_count(1)
    screenshot(page, "offline-outbox-sent")

    # Nothing reached the server while offline: the gate saw no request at all then.
    assert refused_while_offline == []
    db.session.expire_all()
    inspections = db.session.scalars(db.select(Inspection)).all()
    assert len(inspections) == 1 and inspections[0].status == "submitted"
    inspection = inspections[0]
    photos = db.session.scalars(db.select(Photo).where(Photo.inspection_id == inspection.id)).all()
    assert [p.item_id for p in photos] == [PHOTO_ITEM]
    entries = db.session.scalars(db.select(LedgerEntry)).all()
    assert [e.item_id for e in entries] == [FAIL_ITEM]
    assert inspection.signature_key and inspection.outcome == "basic"

    # A replay of the same submit (another tab, a retry) creates nothing more.
    page.evaluate(
        "FangxinDB.drafts().then(ds => { ds[0].state = 'queued'; return FangxinDB.putDraft(ds[0]); })"
        ".then(() => FangxinOutbox.sendAll())"
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 1
    assert db.session.scalar(db.select(db.func.count(LedgerEntry.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1


def test_a_version_published_while_the_draft_was_offline(
    app, city, shop, browser_login, phone, gate, tmp_path
):
    page = browser_login(city.inspector)
    prepare_offline(page)
    kept = page.evaluate(
        "FangxinDB.meta('working-set').then(s => s.data.programmes.five_goods.version)"
    )
    go_offline(page, gate)
    page.goto(f"/field/establishments/{shop.id}")  # not kept: the offline page renders it
    expect(page.locator("#offline-app h1")).to_have_text(shop.name)
    page.click('[data-start="five_goods"]')
    page.wait_for_selector("#offline-checklist")
    run_five_goods(page, tmp_path)

    app.config["FANGXIN_MAX_GENERAL_FAILURES"] = 3  # the office publishes a new version meanwhile
    page.click("#offline-submit")
    expect(page.locator("#outbox-list .outbox-item")).to_have_count(1)
    assert gate.refused == []
    go_online(page.context, gate)
    sent = page.locator("#outbox-sent .outbox-item")
    expect(sent).to_contain_text("按开始检查时的版本", timeout=30_000)
    screenshot(page, "offline-outbox-version-notice")
    db.session.expire_all()
    inspection = db.session.scalar(db.select(Inspection))
    assert inspection.checklist_version.version == kept
    latest = page.evaluate(
        "FangxinApp.refreshSet(true).then(s => s.data.programmes.five_goods.version)"
    )
    assert latest != kept


def test_the_checklist_pages_local_copy_outlives_a_closed_tab(
    city, shop, browser_login, phone, gate
):
    page = browser_login(city.inspector)
    prepare_offline(page)
    page.goto(f"/field/establishments/{shop.id}")
    page.click("text=开始检查")
    page.wait_for_selector("#checklist")
    draft_url = page.url
    go_offline(page, gate)
    page.click(f'label[for="r-{FAIL_ITEM}-fail"]')
    page.fill("#operator_rep", "王五")
    expect(page.locator("#save-status")).to_contain_text("网络不通")
    key = page.get_attribute("#checklist", "data-storage-key")
    assert page.evaluate(f"FangxinDB.meta('{key}').then(c => c.values['r.{FAIL_ITEM}'])") == "fail"
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.reload()  # no signal: the worker's copy of this checklist page, answers from IndexedDB
    page.wait_for_selector("#checklist")
    expect(page.locator(f'[id="r-{FAIL_ITEM}-fail"]')).to_be_checked()  # restored, unsaved yet
    expect(page.locator("#operator_rep")).to_have_value("王五")
    context = page.context
    page.close()
    # No pagehide beacon either: Chromium sends one despite the offline switch and the route
    # (seen here, or arriving once back online), so with no signal the page does not send it.
    assert gate.refused == [] and no_signal.background(gate.tried) == []

    go_online(context, gate)
    page = context.new_page()
    page.goto(draft_url)
    # The server's draft is older than the phone's copy: restored, then saved (已保存 HH:MM,
    # checklist.js). 草稿保存于 here would mean the answers reached the server while offline.
    expect(page.locator("#save-status")).to_contain_text("已保存", timeout=15_000)
    assert page.is_checked(f'[id="r-{FAIL_ITEM}-fail"]')
    db.session.expire_all()
    answer = next(
        a for a in db.session.scalar(db.select(Inspection)).answers if a.item_id == FAIL_ITEM
    )
    assert answer.result == "fail"


def queue_one_offline(page, gate, shop, tmp_path):
    """Online once, then offline: one five-goods inspection run and queued in the outbox."""
    prepare_offline(page)
    go_offline(page, gate)
    page.goto(f"/field/offline#/e/{shop.id}")
    page.click('[data-start="five_goods"]')
    page.wait_for_selector("#offline-checklist")
    run_five_goods(page, tmp_path)
    page.click("#offline-submit")
    expect(page.locator("#outbox-list .outbox-item")).to_have_count(1)


def test_signing_out_with_unsent_work_warns_and_keeps_it(
    city, shop, browser_login, phone, gate, tmp_path
):
    page = browser_login(city.inspector)
    queue_one_offline(page, gate, shop, tmp_path)
    # The signal is back but the sends fail (a captive portal, say): the work stays unsent.
    page.context.route("**/api/v1/**", lambda route: route.abort())
    page.context.route("**/media/uploads**", lambda route: route.abort())
    go_online(page.context, gate)
    page.goto("/field/offline#/outbox")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click(".top-tools button:has-text('退出')")
    page.wait_for_timeout(300)
    assert dialogs and "1 条检查未上传" in dialogs[0]
    assert page.locator(".who").is_visible()  # dismissed: still signed in
    page.once("dialog", lambda d: d.accept())
    page.click(".top-tools button:has-text('退出')")
    page.wait_for_url("**/login**")
    kept = """new Promise(done => { indexedDB.open("fangxin").onsuccess = e => {
      e.target.result.transaction("drafts").objectStore("drafts").getAll().onsuccess =
        r => done(r.target.result.map(d => d.state)); }; })"""
    assert page.evaluate(kept) == ["queued"]  # signed out, and the work is still on the phone


def test_another_inspectors_work_waits_for_them(city, shop, browser_login, phone, gate, tmp_path):
    page = browser_login(city.inspector)
    queue_one_offline(page, gate, shop, tmp_path)
    page.context.route("**/api/v1/**", lambda route: route.abort())
    go_online(page.context, gate)
    page.once("dialog", lambda d: d.accept())
    page.click(".top-tools button:has-text('退出')")
    page.wait_for_url("**/login**")
    page.context.unroute("**/api/v1/**")
    browser_login(city.other_inspector)
    page.goto("/field/offline#/outbox")
    item = page.locator("#outbox-list .outbox-item")
    expect(item).to_contain_text("属于另一位检查员", timeout=15_000)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Inspection.id))) == 0


def test_the_offline_pages_read_english_on_the_english_ui(city, shop, browser_login, phone, gate):
    page = browser_login(city.inspector)
    page.click("[data-language-toggle]")
    page.wait_for_load_state()
    prepare_offline(page)
    go_offline(page, gate)
    page.goto(f"/field/offline#/e/{shop.id}")
    expect(page.locator("#offline-app h1")).to_have_text(shop.name)
    text = page.inner_text("#offline-app")
    assert "Outbox" in text and "No inspections yet" in text
    page.click('[data-start="five_goods"]')
    page.wait_for_selector("#offline-checklist")
    form = page.inner_text("#offline-checklist")
    assert "Pass" in form and "Submit" in form
    screenshot(page, "offline-checklist-en")
    assert gate.refused == []


def test_a_visit_that_could_not_inspect_with_no_signal(city, shop, browser_login, phone, gate):
    """未能检查 offline: kept on the phone, sent once when the signal returns, never twice."""
    from app.models import VisitAttempt

    page = browser_login(city.inspector)
    prepare_offline(page)
    go_offline(page, gate)
    page.goto(f"/field/offline#/e/{shop.id}")
    page.click("#offline-attempt summary")
    page.click("#offline-attempt-form button[type=submit]")
    expect(page.locator("#offline-attempt-form .flash-error")).to_have_text("请选择未能检查的原因")
    page.check('#offline-attempt-form input[value="closed"]')
    page.fill("#attempt-note", "店门紧闭，邻居说老板外出进货")
    no_sideways_scroll(page)
    screenshot(page, "offline-attempt")
    page.click("#offline-attempt-form button[type=submit]")
    item = page.locator("#outbox-list .outbox-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("未能检查 · 停业/关门")
    assert no_signal.background(gate.tried) == [] and gate.refused == []

    go_online(page.context, gate)
    expect(page.locator("#outbox-empty")).to_be_visible(timeout=30_000)
    db.session.expire_all()
    attempts = db.session.scalars(db.select(VisitAttempt)).all()
    assert [(a.reason, a.note) for a in attempts] == [("closed", "店门紧闭，邻居说老板外出进货")]
    page.evaluate(
        "FangxinDB.drafts().then(ds => { ds[0].state = 'queued'; return FangxinDB.putDraft(ds[0]); })"
        ".then(() => FangxinOutbox.sendAll())"
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(VisitAttempt.id))) == 1
