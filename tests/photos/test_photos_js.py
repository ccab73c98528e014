"""photos.js in Debian's Chromium: downscale, upload contract, thumbnails, errors, retry."""

from __future__ import annotations

import io
import json
import shutil
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from .conftest import camera_exif, encode, photo_like

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "csrf-token-123"
NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="csrf-token" content="{token}">
<link rel="stylesheet" href="/static/css/photos.css">
<script src="/static/js/uploads.js" defer></script>
<script src="/static/js/photos.js" defer></script></head><body>
<form method="post" action="/submit" enctype="multipart/form-data">
  <input id="photo" type="file" name="photo" accept="image/*" capture="environment" multiple
         data-photo-upload="{upload}" data-photo-field="photo_ids">
  <ul class="photo-list"></ul>
  <textarea name="note">现场记录</textarea>
</form></body></html>"""


class Handler(BaseHTTPRequestHandler):
    uploads: list[dict]
    failures_left: dict[str, int]

    def log_message(self, *args):  # keep pytest output clean
        pass

    def reply(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/page/"):
            html = PAGE.format(token=TOKEN, upload="/upload/" + path.rsplit("/", 1)[1])
            return self.reply(200, html.encode(), "text/html; charset=utf-8")
        if path.startswith("/static/"):
            file = STATIC / path.removeprefix("/static/")
            ctype = "text/css" if file.suffix == ".css" else "text/javascript"
            return self.reply(200, file.read_bytes(), ctype)
        return self.reply(200, encode(Image.new("RGB", (8, 8), "green")), "image/jpeg")

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        mode = self.path.rsplit("/", 1)[1]
        if self.failures_left.get(mode, 0) > 0:
            self.failures_left[mode] -= 1
            return self.reply(503, b"busy", "text/plain")
        if mode == "bad":
            error = json.dumps({"error": NOT_IMAGE})
            return self.reply(400, error.encode(), "application/json")
        self.uploads.append({"csrf": self.headers["X-CSRFToken"], "parts": parts(self, body)})
        number = len(self.uploads)
        answer = {"id": number, "thumb_url": f"/t/{number}.jpg", "url": f"/p/{number}.jpg"}
        return self.reply(201, json.dumps(answer).encode(), "application/json")


def parts(handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, tuple[str, bytes]]:
    """Multipart form fields as name -> (filename, bytes)."""
    head = f"Content-Type: {handler.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    return {
        p.get_param("name", header="content-disposition"): (p.get_filename(), p.get_content())
        for p in message.iter_parts()
    }


@pytest.fixture
def server():
    handler = type("H", (Handler,), {"uploads": [], "failures_left": {"flaky": 1}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def page():
    if not CHROMIUM:
        pytest.skip("no Chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        yield browser.new_page()
        browser.close()


def choose(page, *files: tuple[str, bytes]) -> None:
    """Pick files in the photo input as a user would."""
    payload = [{"name": n, "mimeType": "image/jpeg", "buffer": b} for n, b in files]
    page.set_input_files("#photo", payload)


def test_photo_is_downscaled_upright_uploaded_and_shown(server, page):
    base, handler = server
    phone = encode(photo_like((4000, 3000)), "JPEG", quality=92, exif=camera_exif(orientation=6))
    page.goto(f"{base}/page/ok")
    choose(page, ("现场.jpg", phone))
    page.wait_for_selector(".photo-item.is-done a.photo-thumb img")
    (upload,) = handler.uploads
    assert upload["csrf"] == TOKEN
    name, data = upload["parts"]["photo"]
    sent = Image.open(io.BytesIO(data))
    assert (name, sent.format, sent.size) == ("现场.jpg", "JPEG", (1200, 1600))
    assert len(data) < len(phone) / 3
    link = page.locator(".photo-list a.photo-thumb")
    assert link.get_attribute("href") == "/p/1.jpg"
    assert link.locator("img").get_attribute("src") == "/t/1.jpg"
    assert page.input_value("#photo") == ""
    assert page.locator('form input[type="hidden"][name="photo_ids"]').input_value() == "1"


def test_each_photo_is_uploaded_on_its_own(server, page):
    base, handler = server
    small = encode(photo_like((640, 480)), "JPEG")
    page.goto(f"{base}/page/ok")
    choose(page, ("a.jpg", small), ("b.jpg", small))
    page.wait_for_function("document.querySelectorAll('.photo-item.is-done').length === 2")
    assert [list(u["parts"]) for u in handler.uploads] == [["photo"], ["photo"]]


def test_a_file_that_can_never_succeed_says_why_and_offers_no_retry(server, page):
    base, handler = server
    page.goto(f"{base}/page/bad")
    choose(page, ("x.jpg", encode(photo_like((64, 48)), "JPEG")))
    failed = page.wait_for_selector(".photo-item.is-failed")
    assert "文件不是图片" in failed.inner_text()
    assert page.locator(".photo-retry").count() == 0  # not an image: retrying cannot help
    assert page.locator(".photo-remove").inner_text() == "删除"
    assert page.locator(".photo-remove").bounding_box()["height"] >= 44
    assert page.input_value("textarea") == "现场记录"  # the rest of the form is untouched
    assert handler.uploads == []


def test_transient_failure_is_retried_automatically(server, page):
    base, handler = server
    page.goto(f"{base}/page/flaky")
    choose(page, ("y.jpg", encode(photo_like((64, 48)), "JPEG")))
    page.wait_for_selector(".photo-item.is-done", timeout=15_000)
    assert len(handler.uploads) == 1 and handler.failures_left["flaky"] == 0
