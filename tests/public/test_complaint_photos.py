"""A photo with a public complaint: through the pipeline, shown to the office only, never
on the public page or its JSON."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Complaint, Photo
from tests.photos.files import camera_exif, encode, photo_like

from .conftest import PRIVATE_DETAILS

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"


@pytest.fixture
def shop(make_establishment):
    return make_establishment(name="被举报小店")


@pytest.fixture
def jpeg() -> bytes:
    return encode(photo_like((640, 480)), "JPEG", quality=85, exif=camera_exif())


def send(client, est, photo: bytes | None, name="scene.jpg", text="冷菜间无防蝇设施", phone=""):
    fields = MultiDict({"text": text, "phone": phone})
    if photo is not None:
        fields.add("photo", FileStorage(io.BytesIO(photo), filename=name))
    boundary, body = encode_multipart(fields)
    return client.post(
        f"/q/{est.qr_token}/complaint",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )


def photos() -> list[Photo]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Photo).order_by(Photo.id)))


def test_complaint_with_a_photo(client, shop, jpeg):
    response = send(client, shop, jpeg, phone="13803981234")
    assert response.status_code == 303
    complaint = db.session.scalar(db.select(Complaint))
    [photo] = photos()
    assert (photo.kind, photo.complaint_id, photo.establishment_id) == (
        "complaint",
        complaint.id,
        shop.id,
    )
    assert photo.uploaded_by_id is None


def test_complaint_form_offers_an_optional_photo(client, shop):
    page = client.get(f"/q/{shop.qr_token}/complaint").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" id="photo" name="photo" accept="image/*"' in page


def test_rejected_photo_keeps_the_text_and_phone_and_records_nothing(client, shop):
    response = send(client, shop, b"hello", name="note.txt", text="后厨有老鼠", phone="13803981234")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NOT_IMAGE in page
    assert "后厨有老鼠" in page and 'value="13803981234"' in page
    assert db.session.scalar(db.select(Complaint)) is None
    assert photos() == []


def test_a_photo_with_a_bad_form_asks_for_it_again(client, shop, jpeg):
    response = send(client, shop, jpeg, text="")
    assert response.status_code == 400
    assert "请重新选择照片" in response.get_data(as_text=True)
    assert photos() == []


@pytest.fixture
def complaint_photo(client, shop, jpeg):
    assert send(client, shop, jpeg).status_code == 303
    return photos()[0]


@pytest.mark.parametrize("who", ["admin", "viewer", "inspector"])
def test_office_complaint_detail_shows_the_photo(who, client, login, city, complaint_photo):
    login(getattr(city, who))
    page = client.get(f"/office/complaints/{complaint_photo.complaint_id}").get_data(as_text=True)
    assert f'src="/media/photos/{complaint_photo.id}.thumb.jpg"' in page
    assert f'href="/media/photos/{complaint_photo.id}.jpg"' in page


def test_assigned_inspector_outside_the_area_sees_no_photo(client, login, city, complaint_photo):
    complaint = db.session.get(Complaint, complaint_photo.complaint_id)
    complaint.assigned_to_id = city.other_inspector.id
    db.session.commit()
    login(city.other_inspector)
    page = client.get(f"/office/complaints/{complaint.id}").get_data(as_text=True)
    assert "/media/photos/" not in page
    assert "照片不可查看" in page
    assert client.get(f"/media/photos/{complaint_photo.id}.jpg").status_code == 404


def test_public_page_and_json_never_show_photos(
    client, login, city, shop, complaint_photo, make_inspection, upload_item_photo
):
    make_inspection(shop, **PRIVATE_DETAILS)  # with a photo row of its own
    upload_item_photo(shop)
    assert db.session.scalar(db.select(db.func.count(Photo.id))) >= 3
    for url in (f"/q/{shop.qr_token}", f"/q/{shop.qr_token}.json"):
        for who in (None, city.inspector):
            if who is not None:
                login(who)
            body = client.get(url).get_data(as_text=True)
            assert "/media/" not in body and ".thumb.jpg" not in body, (url, who)


@pytest.fixture
def upload_item_photo(app, city, jpeg):
    """A real stored establishment photo (a file on disk, not only a row)."""
    from app.photos import service as photo_service

    def attach(est):
        photo_service.attach_photo(
            city.inspector, est, jpeg, kind="establishment", config=app.config
        )
        db.session.commit()

    return attach


def test_a_photo_over_the_limit_keeps_the_text(app, client, shop, jpeg):
    """Up to three photos' worth of bytes is read: the photo is refused, the text is not lost."""
    app.config.update(MAX_CONTENT_LENGTH=len(jpeg) + 20_000, FANGXIN_PHOTO_MAX_BYTES=len(jpeg))
    response = send(client, shop, jpeg + b"\0" * 30_000, text="后厨有老鼠", phone="13803981234")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "请压缩后重试" in page
    assert "后厨有老鼠" in page and 'value="13803981234"' in page
    assert db.session.scalar(db.select(Complaint)) is None
