"""Resumable uploads (/media/uploads): chunks at offsets, resumes, one photo however often
finished or attached, refusals that say why (and whether a retry can ever help)."""

from __future__ import annotations

import errno
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Inspection, Photo, Upload, UploadPart
from app.photos import uploads
from app.photos.storage import LocalStorage
from tests.factories import OTHER_ITEM, PHOTO_ITEM, make_user
from tests.photos.files import YIMA, camera_exif, encode, heic, heif_encoder_available, photo_like

CHUNK = 256 * 1024
DISK_FULL = "存储空间已满，请联系管理员"
JSON = {"Accept": "application/json"}  # as uploads.js sends


@pytest.fixture
def big_jpeg() -> bytes:
    """A photo of a bit over three chunks, with no EXIF of its own."""
    data = encode(photo_like((1600, 1200)), "JPEG", quality=97)
    assert 2 * CHUNK < len(data) < 8 * CHUNK
    return data


def create(client, data: bytes, **body):
    return client.post("/media/uploads", json={"length": len(data), "filename": "a.jpg", **body})


def patch(client, token: str, offset: int, chunk: bytes):
    return client.patch(
        f"/media/uploads/{token}",
        data=chunk,
        headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
    )


def send_all(client, token: str, data: bytes, start: int = 0) -> None:
    for offset in range(start, len(data), CHUNK):
        response = patch(client, token, offset, data[offset : offset + CHUNK])
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["offset"] == min(offset + CHUNK, len(data))


def finish(client, token: str, inspection=None, item_id=PHOTO_ITEM):
    body = {"inspection_id": inspection.id, "item_id": item_id} if inspection else {}
    return client.post(f"/media/uploads/{token}/finish", json=body, headers=JSON)


def item_photos(inspection) -> list[Photo]:
    db.session.expire_all()
    stmt = db.select(Photo).where(Photo.inspection_id == inspection.id).order_by(Photo.id)
    return list(db.session.scalars(stmt))


@pytest.fixture
def signed_in(city, login):
    login(city.inspector)
    return city.inspector


def test_chunks_in_order_make_one_whole_photo_on_the_item(client, signed_in, draft, big_jpeg):
    made = create(client, big_jpeg)
    assert made.status_code == 201
    token = made.get_json()["upload"]
    assert made.get_json() | {"upload": None} == {
        "upload": None, "offset": 0, "length": len(big_jpeg), "finished": False,
        "chunk_size": CHUNK,
    }  # fmt: skip
    send_all(client, token, big_jpeg)
    done = finish(client, token, draft)
    assert done.status_code == 200, done.get_json()
    [photo] = item_photos(draft)
    assert done.get_json()["photo_id"] == photo.id and photo.item_id == PHOTO_ITEM
    assert done.get_json()["thumb_url"] == f"/media/photos/{photo.id}.thumb.jpg"
    assert (photo.width, photo.height) == (1600, 1200)
    assert stored_parts(client.application.config) == []
    assert db.session.scalar(db.select(db.func.count(UploadPart.id))) == 0


def get(token: str) -> Upload:
    db.session.expire_all()
    return uploads.get(token)


def stored_parts(config) -> list[str]:
    """The chunk objects in the part store (the local partial/ folder)."""
    root = Path(config["FANGXIN_UPLOAD_DIR"]) / "partial"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def test_a_resent_chunk_is_not_written_twice(client, signed_in, draft, big_jpeg):
    token = create(client, big_jpeg).get_json()["upload"]
    assert patch(client, token, 0, big_jpeg[:CHUNK]).get_json()["offset"] == CHUNK
    again = patch(client, token, 0, big_jpeg[:CHUNK])  # the answer was lost, the phone re-sends
    assert again.status_code == 200 and again.get_json()["offset"] == CHUNK
    overlap = patch(client, token, CHUNK // 2, big_jpeg[CHUNK // 2 : CHUNK + CHUNK // 2])
    assert overlap.get_json()["offset"] == CHUNK + CHUNK // 2  # only the new half appended
    send_all(client, token, big_jpeg, start=CHUNK + CHUNK // 2)
    assert finish(client, token, draft).status_code == 200
    assert stored_parts(client.application.config) == []
    [photo] = item_photos(draft)
    assert photo.size_bytes > 0


def test_a_chunk_past_the_servers_offset_is_refused_with_the_right_offset(
    client, signed_in, big_jpeg
):
    token = create(client, big_jpeg).get_json()["upload"]
    patch(client, token, 0, big_jpeg[:CHUNK])
    skipped = patch(client, token, 2 * CHUNK, big_jpeg[2 * CHUNK : 3 * CHUNK])
    assert skipped.status_code == 409
    assert skipped.get_json()["offset"] == CHUNK
    assert skipped.get_json()["permanent"] is False
    status = client.get(f"/media/uploads/{token}").get_json()
    assert status == {"upload": token, "offset": CHUNK, "length": len(big_jpeg), "finished": False}


def test_a_replayed_create_with_the_clients_token_is_the_same_upload(client, signed_in, big_jpeg):
    token = str(uuid.uuid4())
    assert create(client, big_jpeg, upload=token).get_json()["upload"] == token
    patch(client, token, 0, big_jpeg[:CHUNK])
    again = create(client, big_jpeg, upload=token)
    assert again.get_json()["offset"] == CHUNK
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 1


def test_another_users_upload_is_refused(client, city, login, draft, big_jpeg):
    login(city.inspector)
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    other = make_user("colleague", "inspector", [city.north])
    db.session.commit()
    client.post("/logout")
    login(other)
    assert patch(client, token, 0, big_jpeg[:CHUNK]).status_code == 403
    assert client.get(f"/media/uploads/{token}").status_code == 403
    assert finish(client, token).status_code == 403
    with pytest.raises(uploads.UploadError) as refused:
        uploads.attach(token, draft, PHOTO_ITEM, other, config=client.application.config)
    assert refused.value.code == "not_yours"
    assert item_photos(draft) == []


def test_finished_twice_and_attached_twice_is_one_photo(client, signed_in, draft, big_jpeg):
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    first = finish(client, token, draft).get_json()
    second = finish(client, token, draft).get_json()
    assert first["photo_id"] == second["photo_id"]
    config = client.application.config
    photo = uploads.attach(
        token, db.session.get(Inspection, draft.id), PHOTO_ITEM, signed_in, config=config
    )
    assert photo.id == first["photo_id"]
    other = uploads.attach(
        token, db.session.get(Inspection, draft.id), OTHER_ITEM, signed_in, config=config
    )
    assert other.id != photo.id and other.sha256 == photo.sha256  # another item: its own row
    assert len(item_photos(draft)) == 2


def test_finish_without_a_place_then_attach_at_submit(client, signed_in, draft, big_jpeg):
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    done = finish(client, token)
    assert done.get_json() == {"upload": token, "offset": len(big_jpeg),
                               "length": len(big_jpeg), "finished": True}  # fmt: skip
    assert item_photos(draft) == []
    config = client.application.config
    photo = uploads.attach(token, draft, PHOTO_ITEM, signed_in, config=config)
    db.session.commit()
    assert [p.id for p in item_photos(draft)] == [photo.id]
    assert client.get(f"/media/uploads/{token}").get_json()["photo_id"] == photo.id


def test_an_unfinished_upload_cannot_be_finished(client, signed_in, draft, big_jpeg):
    token = create(client, big_jpeg).get_json()["upload"]
    patch(client, token, 0, big_jpeg[:CHUNK])
    response = finish(client, token, draft)
    assert response.status_code == 409 and response.get_json()["permanent"] is False


def test_too_big_is_refused_at_creation_for_good(client, signed_in):
    response = client.post("/media/uploads", json={"length": 21 * 1024 * 1024})
    assert response.status_code == 413
    assert response.get_json() == {"error": "照片超过 20 MB，请压缩后重试", "permanent": True}
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_not_an_image_is_refused_at_the_first_chunk(client, signed_in):
    text = "这不是图片，只是一段文字。\n".encode() * 50
    token = create(client, text).get_json()["upload"]
    response = patch(client, token, 0, text)
    assert response.status_code == 400
    assert response.get_json()["permanent"] is True
    assert "文件不是图片" in response.get_json()["error"]
    assert client.get(f"/media/uploads/{token}").get_json()["offset"] == 0


def test_a_damaged_file_is_refused_at_finish(client, signed_in, draft, big_jpeg):
    broken = big_jpeg[: len(big_jpeg) // 2]
    token = create(client, broken).get_json()["upload"]
    send_all(client, token, broken)
    response = finish(client, token, draft)
    assert response.status_code == 400 and response.get_json()["permanent"] is True
    assert item_photos(draft) == []


def test_a_full_disk_answers_507_and_says_so(client, signed_in, big_jpeg, monkeypatch):
    token = create(client, big_jpeg).get_json()["upload"]

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStorage, "put", full)
    response = patch(client, token, 0, big_jpeg[:CHUNK])
    assert response.status_code == 507
    assert response.get_json() == {"error": DISK_FULL, "permanent": True}
    assert client.get(f"/media/uploads/{token}").get_json()["offset"] == 0


def test_the_phones_exif_is_kept_when_the_reencode_dropped_it(client, signed_in, draft, big_jpeg):
    token = create(
        client, big_jpeg, taken_at="2024-07-01T10:30:00+08:00", latitude=YIMA[0], longitude=YIMA[1]
    ).get_json()["upload"]
    send_all(client, token, big_jpeg)
    finish(client, token, draft)
    [photo] = item_photos(draft)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert (photo.latitude, photo.longitude) == pytest.approx(YIMA)


def test_the_files_own_exif_wins_and_junk_from_the_phone_is_ignored(client, signed_in, draft):
    data = encode(
        photo_like((800, 600)), "JPEG", exif=camera_exif(gps=YIMA, taken="2024:07:01 10:30:00")
    )
    token = create(client, data, taken_at="yesterday", latitude=500, longitude=True).get_json()[
        "upload"
    ]
    send_all(client, token, data)
    finish(client, token, draft)
    [photo] = item_photos(draft)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert (photo.latitude, photo.longitude) == pytest.approx(YIMA)


def test_a_submitted_inspection_takes_no_more_photos(client, signed_in, submitted, big_jpeg):
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    response = finish(client, token, submitted)
    assert response.status_code == 409
    assert item_photos(submitted) == []


def test_abandoned_uploads_are_purged(client, signed_in, runner, big_jpeg):
    config = client.application.config
    stale = create(client, big_jpeg).get_json()["upload"]
    patch(client, stale, 0, big_jpeg[:CHUNK])
    fresh = create(client, big_jpeg).get_json()["upload"]
    row = get(stale)
    row.updated_at = datetime.now(UTC) - timedelta(hours=25)
    db.session.commit()
    part = uploads.part_key(row, 0, CHUNK)
    assert stored_parts(config) == [part]
    result = runner.invoke(args=["uploads", "purge"])
    assert "Deleted 1 abandoned upload(s)." in result.output
    assert get(stale) is None and stored_parts(config) == []
    assert get(fresh) is not None


# --- the amendment form: photos uploaded before it, attached when it is saved ------------


def amended_with(client, insp_id: int, **fields):
    from tests.factories import form_for
    from tests.photos.test_checklist_photos import submit_all_passing

    submit_all_passing(client, insp_id)
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"reason": "补录：现场发现问题"} | fields
    return client.post(f"/field/inspections/{insp_id}/amend", data=data)


def test_an_amendment_takes_a_photo_uploaded_before_it(client, city, login, shop, big_jpeg):
    login(city.inspector)
    insp_id = start_draft(client, shop)
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    assert finish(client, token).status_code == 200
    response = amended_with(client, insp_id, **{f"upload-{PHOTO_ITEM}": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].split("/")[-2])
    [photo] = item_photos(db.session.get(Inspection, new_id))
    assert photo.item_id == PHOTO_ITEM and item_photos(db.session.get(Inspection, insp_id)) == []


def test_an_amendment_refuses_another_users_upload(client, city, login, shop, big_jpeg):
    login(city.admin)
    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)
    client.post("/logout")
    login(city.inspector)
    insp_id = start_draft(client, shop)
    response = amended_with(client, insp_id, **{f"upload-{PHOTO_ITEM}": token})
    assert response.status_code == 422
    assert "这次上传属于其他用户" in response.get_data(as_text=True)
    assert db.session.get(Inspection, insp_id).superseded is False


def start_draft(client, shop) -> int:
    response = client.post(f"/field/establishments/{shop.id}/inspect/five_goods")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_a_full_disk_at_finish_answers_507_and_the_plain_post_too(
    client, signed_in, draft, big_jpeg, monkeypatch, upload
):
    from app.photos.storage import LocalStorage

    token = create(client, big_jpeg).get_json()["upload"]
    send_all(client, token, big_jpeg)

    def full(self, key, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStorage, "put", full)
    response = finish(client, token, draft)
    assert response.status_code == 507 and response.get_json()["error"] == DISK_FULL
    plain = upload(f"/media/inspections/{draft.id}/items/{PHOTO_ITEM}/photos", big_jpeg)
    assert plain.status_code == 507 and plain.get_json() == {"error": DISK_FULL, "permanent": True}
    assert item_photos(draft) == []


@pytest.mark.skipif(not heif_encoder_available(), reason="this libheif cannot write HEIC")
def test_a_heic_original_goes_up_in_chunks_and_keeps_its_exif(client, signed_in, draft):
    """What photos.js sends when the phone's browser cannot decode HEIC (Android)."""
    data = heic(gps=YIMA, taken="2024:07:01 10:30:00")
    token = create(client, data, filename="IMG_0001.HEIC").get_json()["upload"]
    send_all(client, token, data)
    assert finish(client, token, draft).status_code == 200
    [photo] = item_photos(draft)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert (photo.latitude, photo.longitude) == pytest.approx(YIMA)
