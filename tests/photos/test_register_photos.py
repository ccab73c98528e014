"""Photos on the ledger's rectification and on registration applications."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.core.clock import local_today
from app.extensions import db
from app.inspections import ledger
from app.models import LedgerEntry, Photo, Registration
from tests.factories import APPLICATION, answer
from tests.photos.files import camera_exif, encode, photo_like

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"


@pytest.fixture
def jpeg() -> bytes:
    return encode(photo_like((640, 480)), "JPEG", quality=85, exif=camera_exif())


@pytest.fixture
def other_jpeg() -> bytes:
    return encode(photo_like((480, 640)), "JPEG", quality=80)


def post(client, url: str, data: dict, files: list[tuple[bytes, str]] = ()):
    fields = MultiDict(data)
    for body, name in files:
        fields.add("photo", FileStorage(io.BytesIO(body), filename=name))
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def photos(kind: str) -> list[Photo]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Photo).where(Photo.kind == kind).order_by(Photo.id)))


@pytest.fixture
def entry(city, make_establishment, make_inspection) -> LedgerEntry:
    yesterday = local_today() - timedelta(days=1)
    inspection = make_inspection(
        make_establishment(), answers={"a1": answer("fail", "deadline", yesterday)}
    )
    found = ledger.open_actions(inspection)[0]
    db.session.commit()
    return found


@pytest.mark.parametrize(
    "who, url", [("inspector", "/field/ledger/{}"), ("admin", "/registers/ledger/{}")]
)
def test_rectification_with_photos(who, url, client, login, city, entry, jpeg, other_jpeg):
    login(getattr(city, who))
    page = client.get(url.format(entry.id)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page
    response = post(
        client,
        url.format(entry.id) + "/rectify",
        {"note": "已更换防蝇帘"},
        [(jpeg, "a.jpg"), (other_jpeg, "b.jpg")],
    )
    assert response.status_code == 302
    added = photos("rectification")
    assert [p.action_id for p in added] == [entry.id, entry.id]
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == "rectified"
    page = client.get(url.format(entry.id)).get_data(as_text=True)
    for photo in added:
        assert f'src="/media/photos/{photo.id}.thumb.jpg"' in page


def test_refused_rectification_photo_keeps_the_note_and_changes_nothing(
    client, login, city, entry, jpeg
):
    login(city.inspector)
    response = post(
        client,
        f"/field/ledger/{entry.id}/rectify",
        {"note": "已更换防蝇帘"},
        [(jpeg, "a.jpg"), (b"not a photo", "bad.txt")],
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"bad.txt：{NOT_IMAGE}" in page
    assert ">已更换防蝇帘</textarea>" in page
    assert photos("rectification") == []
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == "open"


def test_rectify_without_a_photo_still_works(client, login, city, entry):
    login(city.inspector)
    response = post(client, f"/field/ledger/{entry.id}/rectify", {"note": "已整改"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LedgerEntry, entry.id).state == "rectified"


def test_application_with_papers(client, login, city, workshop, jpeg, other_jpeg):
    login(city.admin)
    url = f"/registers/establishments/{workshop.id}/registration/new"
    assert 'enctype="multipart/form-data"' in client.get(url).get_data(as_text=True)
    response = post(client, url, APPLICATION, [(jpeg, "licence.jpg"), (other_jpeg, "id.jpg")])
    assert response.status_code == 302
    reg = db.session.scalar(db.select(Registration))
    added = photos("registration")
    assert [p.registration_id for p in added] == [reg.id, reg.id]
    page = client.get(f"/registers/registrations/{reg.id}").get_data(as_text=True)
    for photo in added:
        assert f'src="/media/photos/{photo.id}.thumb.jpg"' in page


def test_refused_paper_keeps_the_application_form(client, login, city, workshop):
    login(city.admin)
    url = f"/registers/establishments/{workshop.id}/registration/new"
    response = post(client, url, APPLICATION, [(b"%PDF-1.4", "licence.pdf")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"licence.pdf：{NOT_IMAGE}" in page
    assert "410000199001011234" in page and "王五 2024-001" in page
    db.session.expire_all()
    assert db.session.scalar(db.select(Registration)) is None
    assert photos("registration") == []


def test_papers_added_later_on_the_registration_page(
    client, login, city, workshop, make_registration, jpeg
):
    reg = make_registration(workshop)
    db.session.commit()
    login(city.admin)
    response = post(client, f"/registers/registrations/{reg.id}/photos", {}, [(jpeg, "hc.jpg")])
    assert response.status_code == 302
    [photo] = photos("registration")
    assert photo.registration_id == reg.id
    login(city.viewer)
    page = client.get(f"/registers/registrations/{reg.id}").get_data(as_text=True)
    assert f'src="/media/photos/{photo.id}.thumb.jpg"' in page
    assert f"/registrations/{reg.id}/photos" not in page  # viewers read, never add
    assert (
        post(client, f"/registers/registrations/{reg.id}/photos", {}, [(jpeg, "x.jpg")]).status_code
        == 403
    )
