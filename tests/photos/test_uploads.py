"""Uploading photos through /media: good files stored once, bad ones refused with their
message, and a draft inspection's saved answers untouched either way."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from app.extensions import db
from app.models import AuditEvent, Photo
from app.photos.errors import MB
from tests.factories import OTHER_ITEM, PHOTO_ITEM
from tests.photos.files import (
    TAKEN_LOCAL,
    YIMA,
    camera_exif,
    encode,
    heic,
    heif_encoder_available,
    photo_like,
    png_bomb,
)

from .conftest import saved_answers, stored_files

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"
TRUNCATED = "图片文件不完整或已损坏（可能上传中断），请重拍或重新选择"
BAD_SHAPE = "图片尺寸异常（边长超过 20000 像素或长宽比超过 20:1），已拒绝"
TOO_MANY_PIXELS = "图片像素过多（超过 5000 万像素），已拒绝"
TOO_LARGE = "照片超过 20 MB，请压缩后重试"


def item_url(inspection, item_id=PHOTO_ITEM) -> str:
    return f"/media/inspections/{inspection.id}/items/{item_id}/photos"


def photo_rows() -> list[Photo]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Photo).order_by(Photo.id)))


def fetch(client, url: str) -> bytes:
    """A served file's bytes (the streamed response is closed)."""
    with client.get(url) as response:
        assert response.status_code == 200
        return response.get_data()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture
def signed_in(city, login):
    login(city.inspector)
    return city.inspector


# --- good uploads ------------------------------------------------------------------


def test_item_photo_is_stored_and_answered_as_photos_js_expects(
    signed_in, draft, upload, client, jpeg, uploads
):
    response = upload(item_url(draft), jpeg)
    assert response.status_code == 201
    body = response.get_json()
    (photo,) = photo_rows()
    assert body == {
        "id": photo.id,
        "thumb_url": f"/media/photos/{photo.id}.thumb.jpg",
        "url": f"/media/photos/{photo.id}.jpg",
    }
    assert (photo.kind, photo.inspection_id, photo.item_id) == ("item", draft.id, PHOTO_ITEM)
    assert photo.establishment_id == draft.establishment_id
    assert photo.uploaded_by_id == signed_in.id
    assert uploads.exists(f"{photo.sha256}.jpg") and uploads.exists(f"{photo.sha256}.thumb.jpg")
    event = db.session.scalar(db.select(AuditEvent).filter_by(entity="photo", entity_id=photo.id))
    assert event.action == "create" and event.user_id == signed_in.id
    assert reopen(fetch(client, body["thumb_url"])).size == (320, 240)


def test_establishment_photo_upload(signed_in, shop, upload, jpeg):
    response = upload(f"/media/establishments/{shop.id}/photos", jpeg)
    assert response.status_code == 201
    (photo,) = photo_rows()
    assert (photo.kind, photo.establishment_id, photo.inspection_id) == (
        "establishment",
        shop.id,
        None,
    )


def test_rotated_phone_photo_is_stored_portrait(signed_in, draft, upload, client):
    sensor = photo_like((800, 600))
    sensor.paste((255, 0, 0), (0, 0, 100, 100))
    data = encode(sensor, "JPEG", quality=95, exif=camera_exif(orientation=6))
    body = upload(item_url(draft), data).get_json()
    (photo,) = photo_rows()
    assert (photo.width, photo.height) == (600, 800)
    stored = reopen(fetch(client, body["url"]))
    assert stored.size == (600, 800)
    red, green, blue = stored.getpixel((550, 50))  # sensor top-left is now top-right
    assert red > 200 and green < 60 and blue < 60


def test_gps_photo_keeps_position_in_database_not_in_file(signed_in, draft, upload, uploads):
    data = encode(photo_like(), "JPEG", quality=90, exif=camera_exif(gps=YIMA, taken=TAKEN_LOCAL))
    assert upload(item_url(draft), data).status_code == 201
    (photo,) = photo_rows()
    assert photo.latitude == pytest.approx(YIMA[0], abs=1e-6)
    assert photo.longitude == pytest.approx(YIMA[1], abs=1e-6)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    for key in (f"{photo.sha256}.jpg", f"{photo.sha256}.thumb.jpg"):
        stored = uploads.get(key)
        assert not reopen(stored).getexif()
        assert b"Exif" not in stored and b"GPS" not in stored


@pytest.mark.skipif(not heif_encoder_available(), reason="libheif has no HEVC encoder here")
def test_heic_from_an_iphone_is_accepted(signed_in, draft, upload, client):
    body = upload(item_url(draft), heic(gps=YIMA, taken=TAKEN_LOCAL), name="IMG_0001.HEIC")
    assert body.status_code == 201
    (photo,) = photo_rows()
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.latitude == pytest.approx(YIMA[0], abs=1e-6)
    assert reopen(fetch(client, body.get_json()["url"])).format == "JPEG"


def test_same_photo_twice_on_one_item_is_one_row_and_one_file(
    signed_in, draft, upload, jpeg, uploads
):
    first = upload(item_url(draft), jpeg).get_json()
    again = upload(item_url(draft), jpeg).get_json()  # e.g. photos.js retrying
    assert first == again
    assert len(photo_rows()) == 1
    assert len(stored_files(uploads)) == 2  # the full JPEG and its thumbnail


def test_same_photo_on_two_items_is_two_rows_and_one_file(signed_in, draft, upload, jpeg, uploads):
    first = upload(item_url(draft), jpeg).get_json()
    second = upload(item_url(draft, OTHER_ITEM), jpeg).get_json()
    assert first["id"] != second["id"]
    rows = photo_rows()
    assert [p.item_id for p in rows] == [PHOTO_ITEM, OTHER_ITEM]
    assert rows[0].sha256 == rows[1].sha256
    assert len(stored_files(uploads)) == 2


def test_plain_form_upload_redirects_back_with_a_message(signed_in, draft, upload, client, jpeg):
    url = item_url(draft) + "?next=/field/establishments/1%23photos"
    response = upload(url, jpeg, json=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/field/establishments/1#photos"
    with client.session_transaction() as session:
        assert ("success", "照片已上传。") in session["_flashes"]
    assert len(photo_rows()) == 1


def test_unsafe_next_is_ignored(signed_in, draft, upload, jpeg):
    response = upload(item_url(draft) + "?next=//evil.example/", jpeg, json=False)
    assert response.headers["Location"] == f"/field/establishments/{draft.establishment_id}"


# --- bad uploads: the message, nothing stored, the draft intact -----------------------


BAD_FILES = {
    "text named .jpg": (lambda: "这不是图片。\n".encode() * 50, 400, NOT_IMAGE),
    "truncated jpeg": (
        lambda: encode(photo_like(), "JPEG", quality=90)[:6000],
        400,
        TRUNCATED,
    ),
    "1x100000 px": (lambda: png_bomb(1, 100_000), 400, BAD_SHAPE),
    "decompression bomb": (lambda: png_bomb(10_000, 10_000), 400, TOO_MANY_PIXELS),
    "20.5 MB (over the photo limit)": (
        lambda: encode(photo_like(), "JPEG") + b"\0" * (20 * MB + MB // 2),
        413,
        TOO_LARGE,
    ),
    "25 MB (over the request limit)": (
        lambda: encode(photo_like(), "JPEG") + b"\0" * (25 * MB),
        413,
        TOO_LARGE,
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_gets_its_message_and_the_draft_stays_intact(
    case, signed_in, draft, upload, uploads
):
    make, status, message = BAD_FILES[case]
    before = saved_answers(draft.id)
    response = upload(item_url(draft), make(), name="现场.jpg")
    assert (response.status_code, response.get_json()) == (status, {"error": message})
    assert response.content_type == "application/json"
    assert saved_answers(draft.id) == before
    assert photo_rows() == [] and stored_files(uploads) == []


@pytest.mark.parametrize("case", ["text named .jpg", "25 MB (over the request limit)"])
def test_bad_file_in_a_plain_form_is_flashed_on_the_page_it_came_from(
    case, signed_in, draft, upload, client
):
    make, _status, message = BAD_FILES[case]
    before = saved_answers(draft.id)
    response = upload(item_url(draft) + "?next=/field/x", make(), json=False)
    assert (response.status_code, response.headers["Location"]) == (302, "/field/x")
    with client.session_transaction() as session:
        assert ("error", message) in session["_flashes"]
    assert saved_answers(draft.id) == before


def test_missing_file_is_refused(signed_in, draft, client):
    response = client.post(item_url(draft), headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "没有收到照片文件，请重新选择。"}


def test_unknown_item_is_404(signed_in, draft, upload, jpeg):
    assert upload(item_url(draft, "no.such.item"), jpeg).status_code == 404
    assert photo_rows() == []


def test_submitted_inspection_takes_no_more_photos(signed_in, draft, upload, jpeg):
    draft.status = "submitted"
    db.session.commit()
    response = upload(item_url(draft), jpeg)
    assert response.status_code == 409
    assert response.get_json() == {"error": "检查已提交，照片不能再更改。"}


# --- removing ----------------------------------------------------------------------


def test_draft_item_photo_can_be_removed_but_the_file_stays(
    signed_in, draft, upload, client, jpeg, uploads
):
    photo_id = upload(item_url(draft), jpeg).get_json()["id"]
    response = client.post(
        f"/media/photos/{photo_id}/delete", headers={"Accept": "application/json"}
    )
    assert (response.status_code, response.get_json()) == (200, {"deleted": photo_id})
    assert photo_rows() == []
    assert len(stored_files(uploads)) == 2
    event = db.session.scalar(db.select(AuditEvent).filter_by(entity="photo", action="delete"))
    assert event.entity_id == photo_id


def test_photo_of_a_submitted_inspection_cannot_be_removed(signed_in, draft, upload, client, jpeg):
    photo_id = upload(item_url(draft), jpeg).get_json()["id"]
    draft.status = "submitted"
    db.session.commit()
    response = client.post(
        f"/media/photos/{photo_id}/delete", headers={"Accept": "application/json"}
    )
    assert response.status_code == 409
    assert len(photo_rows()) == 1


def test_establishment_photo_removed_from_a_plain_form(signed_in, shop, upload, client, jpeg):
    photo_id = upload(f"/media/establishments/{shop.id}/photos", jpeg).get_json()["id"]
    response = client.post(f"/media/photos/{photo_id}/delete?next=/field/establishments/{shop.id}")
    assert response.headers["Location"] == f"/field/establishments/{shop.id}"
    assert photo_rows() == []


# --- with CSRF on, as in production --------------------------------------------------


@pytest.fixture
def csrf_token(app, signed_in, client, shop):
    """CSRF protection switched on, and the token a page's <meta name="csrf-token"> holds."""
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get(f"/field/establishments/{shop.id}").get_data(as_text=True)
    return html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def test_photos_js_header_token_is_accepted(csrf_token, shop, client, jpeg):
    response = client.post(
        f"/media/establishments/{shop.id}/photos",
        data={"photo": (io.BytesIO(jpeg), "a.jpg")},
        headers={"Accept": "application/json", "X-CSRFToken": csrf_token},
    )
    assert response.status_code == 201


def test_missing_token_is_refused_as_json(csrf_token, shop, client, jpeg):
    response = client.post(
        f"/media/establishments/{shop.id}/photos",
        data={"photo": (io.BytesIO(jpeg), "a.jpg")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400 and "安全校验失败" in response.get_json()["error"]
    assert photo_rows() == []


def test_too_large_body_with_csrf_on_is_still_the_photo_message(csrf_token, shop, upload, jpeg):
    response = upload(
        f"/media/establishments/{shop.id}/photos", jpeg + b"\0" * (25 * MB), csrf_token=csrf_token
    )
    assert (response.status_code, response.get_json()) == (413, {"error": TOO_LARGE})
