"""On a 390x844 phone: the network drops in the middle of a photo's upload and comes back;
the upload goes on from the server's offset (not from the start) and the photo is whole."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest
from flask import request
from PIL import Image

from app.extensions import db
from app.models import Photo
from app.photos.storage import full_key, storage_from_config
from tests import no_signal
from tests.conftest import screenshot
from tests.factories import PHOTO_ITEM
from tests.photos.files import YIMA, camera_exif, encode, photo_like

pytestmark = pytest.mark.browser

CHUNK = 32 * 1024  # many chunks for one phone photo, so the drop lands mid-upload
LIST = "#photos-fg-env-01"


@pytest.fixture
def wire(app):
    """What reached the upload endpoints, and a switch that refuses everything ("no signal")."""
    seen = {"requests": [], "while_offline": [], "offline": False, "chunks": {}}
    app.config["FANGXIN_UPLOAD_CHUNK_BYTES"] = CHUNK

    @app.before_request
    def record():
        if seen["offline"]:
            worker = request.headers.get("Service-Worker")
            if not no_signal.browser_update_check(request.method, request.path, worker):
                seen["while_offline"].append((request.method, request.path))
            return "no signal", 503
        if request.path.startswith("/media/uploads"):
            offset = request.headers.get("Upload-Offset")
            seen["requests"].append((request.method, offset))
            if request.method == "PATCH":
                seen["chunks"].setdefault(int(offset), request.get_data())
                time.sleep(0.2)  # a slow link: the drop comes while chunks are still due
        return None

    return seen


def patches(seen) -> list[int]:
    return [int(offset) for method, offset in seen["requests"] if method == "PATCH"]


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_dropped_connection_resumes_and_the_photo_is_whole(
    app, city, shop, wire, browser_login, phone
):
    browser_login(city.inspector)
    phone.goto(f"/field/establishments/{shop.id}")
    phone.click("text=开始检查")
    phone.wait_for_selector("#checklist")
    insp_id = int(phone.url.rstrip("/").split("/")[-1])
    photo = encode(
        photo_like((2000, 1500)), "JPEG", quality=95,
        exif=camera_exif(gps=YIMA, taken="2024:07:01 10:30:00"),
    )  # fmt: skip
    camera = phone.locator(
        f'[data-item-photos="{PHOTO_ITEM}"] input.photo-file[capture=environment]'
    )
    camera.set_input_files([{"name": "积水.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    wait_for(lambda: len(patches(wire)) >= 3)

    no_signal.cut(phone.context)  # no signal: the browser says so and every request fails…
    wire["offline"] = True  # …and the server would refuse anything that still got through
    dropped_at = len(wire["requests"])
    phone.wait_for_timeout(3000)
    status = phone.locator(f"{LIST} .photo-item .photo-status").inner_text()
    assert "网络已断开" in status, status
    screenshot(phone, "uploads-resume-offline")
    assert wire["while_offline"] == []  # the phone sent nothing while offline

    wire["offline"] = False
    no_signal.restore(phone.context)
    thumb = phone.locator(f"{LIST} .photo-item.is-done a.photo-thumb img")
    thumb.wait_for(timeout=60_000)
    screenshot(phone, "uploads-resume-done")

    offsets = patches(wire)
    assert offsets.count(0) == 1, offsets  # never restarted from the first byte
    assert offsets == sorted(offsets), offsets  # only ever forward
    after = wire["requests"][dropped_at:]
    assert ("GET", None) in after, after  # back online, it asked the server where to go on
    assert next(int(o) for m, o in after if m == "PATCH") > 0, after  # and went on from there
    sent = b"".join(wire["chunks"][offset] for offset in sorted(wire["chunks"]))
    assert len(sent) == sum(len(c) for c in wire["chunks"].values())  # no gap, no overlap
    assert Image.open(io.BytesIO(sent)).size == (1600, 1200)  # the phone's shrunk photo

    db.session.expire_all()
    [stored] = db.session.scalars(db.select(Photo).where(Photo.inspection_id == insp_id)).all()
    assert stored.item_id == PHOTO_ITEM and (stored.width, stored.height) == (1600, 1200)
    data = storage_from_config(app.config).get(full_key(stored.sha256))
    image = Image.open(io.BytesIO(data))
    image.load()  # whole: a truncated JPEG would raise here
    # the canvas re-encode dropped the EXIF; the phone read it first and sent it along
    assert b"Exif" not in sent[:4096]
    assert stored.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert (stored.latitude, stored.longitude) == pytest.approx(YIMA, abs=1e-6)


def test_an_amendments_photo_goes_up_before_the_form_and_is_attached_with_it(
    city, wire, submitted, browser_login, phone
):
    browser_login(city.inspector)
    phone.goto(f"/field/inspections/{submitted.id}/amend")
    photo = encode(photo_like((1200, 900)), "JPEG", quality=90)
    phone.set_input_files(
        f'[id="ph-{PHOTO_ITEM}"]', [{"name": "补拍.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    pending = phone.locator(f"{LIST} .photo-item.is-pending img.photo-preview")
    pending.wait_for(timeout=30_000)
    assert phone.locator(f'input[type=hidden][name="upload-{PHOTO_ITEM}"]').count() == 1
    screenshot(phone, "uploads-amend-pending")
    phone.fill("#reason", "补拍现场照片")
    with phone.expect_navigation():
        phone.click(".submit-bar button[type=submit]")
    assert "/sheet" in phone.url
    assert "PATCH" in {method for method, _ in wire["requests"]}  # it went up in chunks
    db.session.expire_all()
    new_id = int(phone.url.rstrip("/").split("/")[-2])
    [added] = db.session.scalars(
        db.select(Photo).where(Photo.inspection_id == new_id, Photo.item_id == PHOTO_ITEM)
    ).all()
    assert (added.width, added.height) == (1200, 900)
