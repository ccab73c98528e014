"""The camera scanner (app/static/js/scanner.js) end to end in Chromium, without Flask.

A tiny static site (the documented markup, vendored jsQR, scanner.js) is served from a temp
dir on 127.0.0.1, which counts as a secure context. Chromium's fake camera plays a Y4M video
of a QR code, made by tests/placards/video.py.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.placards.qr import public_url, qr_png
from app.registry.codes import new_token

from .video import make_y4m

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
BASE_ARGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>扫码</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/css/scanner.css">
<script src="/static/vendor/jsqr/jsQR.js" defer></script>
<script src="/static/js/scanner.js" defer></script></head>
<body><section id="scanner" {attrs}>
<div class="scanner-viewport"><video id="scanner-video" playsinline muted></video></div>
<canvas id="scanner-canvas" hidden></canvas>
<p id="scanner-status" role="status" aria-live="polite"></p>
<form id="short-code-form" action="/lookup" method="get">
<label for="short-code-input">输入公示牌上的查询码</label>
<input id="short-code-input" name="code" autocomplete="off">
<button type="submit">查询</button></form></section></body></html>
"""
# Keeps every stream the page opens, so a test can check its tracks were stopped.
RECORD_STREAMS = """
window.__streams = [];
const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (c) =>
  original(c).then((s) => { window.__streams.push(s); return s; });
"""
REFUSE_CAMERA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        "": "text/html; charset=utf-8",
    }

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def playwright():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture
def site(tmp_path):
    """A static site on 127.0.0.1 with the scanner page; yields (root dir, origin)."""
    root = tmp_path / "site"
    shutil.copytree(STATIC, root / "static")
    (root / "q").mkdir()
    (root / "lookup").write_text("查询结果", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def open_scanner(playwright, site, tmp_path):
    """Open the scanner page with a fake camera filming text's QR; returns the page."""
    root, origin = site
    browsers = []

    def open_(qr_text: str, attrs: str = "", init_script: str = RECORD_STREAMS):
        (root / "index.html").write_text(PAGE.format(attrs=attrs), encoding="utf-8")
        video = make_y4m(tmp_path / f"cam{len(browsers)}.y4m", qr_png(qr_text, 8), frames=15)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*BASE_ARGS, f"--use-file-for-fake-video-capture={video}"],
        )
        browsers.append(browser)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.add_init_script(init_script)
        page.goto(f"{origin}/index.html")
        return page

    yield open_
    for browser in browsers:
        browser.close()


def test_scanning_a_placard_opens_its_public_page(open_scanner, site):
    root, origin = site
    token = new_token()
    (root / "q" / token).write_text("公示页", encoding="utf-8")
    page = open_scanner(public_url(origin, token))
    page.wait_for_url(f"{origin}/q/{token}", timeout=15_000)
    assert page.content().count("公示页") == 1


def test_a_qr_from_the_public_base_url_opens_here(open_scanner, site):
    root, origin = site
    token = new_token()
    (root / "q" / token).write_text("公示页", encoding="utf-8")
    printed = public_url("https://fangxin.yima.example.cn", token)
    page = open_scanner(printed, attrs='data-public-base="https://fangxin.yima.example.cn/"')
    page.wait_for_url(f"{origin}/q/{token}", timeout=15_000)


def test_a_bare_short_code_opens_the_lookup(open_scanner, site):
    _, origin = site
    page = open_scanner("abcd-2345")
    page.wait_for_url(f"{origin}/lookup?code=ABCD2345", timeout=15_000)


def test_a_foreign_code_is_refused_and_scanning_goes_on(open_scanner, site):
    _, origin = site
    page = open_scanner(f"https://example.com/q/{new_token()}")
    status = page.locator("#scanner-status.is-error")
    status.wait_for(timeout=15_000)
    assert "这不是放心码" in status.inner_text()
    assert page.url == f"{origin}/index.html"
    assert page.evaluate("document.getElementById('scanner').classList.contains('scanner--active')")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    states = page.evaluate("window.__streams.flatMap(s => s.getTracks().map(t => t.readyState))")
    assert states and set(states) == {"ended"}


def test_a_refused_camera_falls_back_to_the_short_code_form(open_scanner):
    page = open_scanner("unused", init_script=REFUSE_CAMERA)
    status = page.locator("#scanner-status.is-error")
    status.wait_for(timeout=10_000)
    assert "未获得摄像头权限" in status.inner_text()
    assert page.evaluate("document.activeElement.id") == "short-code-input"
    assert page.locator("#scanner.scanner--no-camera").count() == 1
    assert not page.locator("#scanner-video").is_visible()
