"""Item photos wired into the inspection flow: the checklist page, the no-JS form post,
the submit check for "photo on failure" items, review, result sheet, office detail and
amendments."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.checklists import get_programme
from app.extensions import db
from app.models import Inspection, Photo
from tests.factories import PHOTO_ITEM, form_for

from .conftest import saved_answers

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"


def post_form(client, url: str, data: dict, files: dict | None = None):
    """POST a checklist form as the browser does without JavaScript (multipart)."""
    fields = MultiDict(data)
    for name, (body, filename) in (files or {}).items():
        fields.add(name, FileStorage(io.BytesIO(body), filename=filename))
    boundary, body = encode_multipart(fields)
    ctype = f"multipart/form-data; boundary={boundary}"
    return client.post(url, data=body, content_type=ctype)


def item_photos(insp_id: int, item_id: str = PHOTO_ITEM) -> list[Photo]:
    db.session.expire_all()
    stmt = db.select(Photo).where(Photo.inspection_id == insp_id, Photo.item_id == item_id)
    return list(db.session.scalars(stmt.order_by(Photo.id)))


@pytest.fixture
def started(client, login, city, shop):
    """The inspector signed in with a fresh five-goods draft at `shop`; its id."""
    login(city.inspector)
    response = client.post(f"/field/establishments/{shop.id}/inspect/five_goods")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def submit(client, insp_id: int):
    uuid = db.session.get(Inspection, insp_id).client_uuid
    return client.post(f"/field/inspections/{insp_id}/submit", data={"client_uuid": uuid})


def test_checklist_has_a_camera_and_gallery_picker_per_item(client, started):
    page = client.get(f"/field/inspections/{started}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert "js/photos.js" in page and "css/photos.css" in page
    url = f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos"
    assert page.count(f'data-photo-upload="{url}"') == 2  # camera and gallery
    assert f'name="photo-{PHOTO_ITEM}"' in page
    assert 'capture="environment"' in page
    assert 'id="photos-fg-env-01"' in page and 'data-photo-list="#photos-fg-env-01"' in page
    assert "此项不合格须拍照留证" in page


def test_thumbnails_already_attached_are_shown(client, started, upload, jpeg):
    answer = upload(f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos", jpeg).get_json()
    page = client.get(f"/field/inspections/{started}").get_data(as_text=True)
    assert f'src="/media/photos/{answer["id"]}.thumb.jpg"' in page
    assert f'href="/media/photos/{answer["id"]}.jpg"' in page


def test_plain_form_post_attaches_the_photos_with_the_answers(client, started, jpeg):
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"action": "review"}
    response = post_form(
        client, f"/field/inspections/{started}", data, {f"photo-{PHOTO_ITEM}": (jpeg, "a.jpg")}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/field/inspections/{started}/review")
    assert len(item_photos(started)) == 1
    assert (PHOTO_ITEM, "fail", "健康证过期", "deadline") in saved_answers(started)


def test_refused_photo_is_flashed_and_every_answer_kept(client, started, jpeg):
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"action": "review"}
    files = {
        f"photo-{PHOTO_ITEM}": (b"not a photo", "notes.txt"),
        "photo-fg.env.02": (jpeg, "b.jpg"),
    }
    response = post_form(client, f"/field/inspections/{started}", data, files)
    # Back to the checklist (not on to review) so the inspector can take the photo again.
    assert response.headers["Location"].endswith(f"/field/inspections/{started}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"notes.txt：{NOT_IMAGE}" in page
    assert item_photos(started) == []
    assert len(item_photos(started, "fg.env.02")) == 1  # the good file still went in
    answers = saved_answers(started)
    assert (PHOTO_ITEM, "fail", "健康证过期", "deadline") in answers
    assert len(answers) == len(get_programme("five_goods").items)
    db.session.expire_all()
    assert db.session.get(Inspection, started).second_inspector == "李四"


def test_photo_on_fail_item_without_a_photo_cannot_be_submitted(client, started, upload, jpeg):
    client.post(f"/field/inspections/{started}", data=form_for("five_goods", fail=(PHOTO_ITEM,)))
    review = client.get(f"/field/inspections/{started}/review").get_data(as_text=True)
    assert "不合格须拍照留证" in review
    refused = submit(client, started)
    assert refused.status_code == 422
    assert "不合格须拍照留证" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Inspection, started).status == "draft"

    upload(f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos", jpeg)
    assert "不合格须拍照留证" not in client.get(f"/field/inspections/{started}/review").get_data(
        as_text=True
    )
    assert submit(client, started).status_code == 302
    db.session.expire_all()
    assert db.session.get(Inspection, started).status == "submitted"


def test_a_photo_on_another_record_does_not_count(client, started, upload, jpeg, shop):
    """Only item photos of this inspection satisfy the check (one function decides)."""
    upload(f"/media/establishments/{shop.id}/photos", jpeg)
    upload(f"/media/inspections/{started}/items/fg.env.02/photos", jpeg)
    client.post(f"/field/inspections/{started}", data=form_for("five_goods", fail=(PHOTO_ITEM,)))
    assert submit(client, started).status_code == 422


@pytest.fixture
def with_photos(client, started, upload, jpeg):
    """A submitted inspection: PHOTO_ITEM failed with a photo, fg.env.02 passed with one."""
    client.post(f"/field/inspections/{started}", data=form_for("five_goods", fail=(PHOTO_ITEM,)))
    failed = upload(f"/media/inspections/{started}/items/{PHOTO_ITEM}/photos", jpeg).get_json()
    passed = upload(f"/media/inspections/{started}/items/fg.env.02/photos", jpeg).get_json()
    review = client.get(f"/field/inspections/{started}/review").get_data(as_text=True)
    for answer in (failed, passed):
        assert f'src="{answer["thumb_url"]}"' in review
        assert f'href="{answer["url"]}"' in review
    assert submit(client, started).status_code == 302
    return started, failed["id"], passed["id"]


def test_result_sheet_shows_the_photos_without_upload_controls(client, with_photos):
    insp_id, failed, passed = with_photos
    sheet = client.get(f"/field/inspections/{insp_id}/sheet").get_data(as_text=True)
    for photo_id in (failed, passed):
        assert f'src="/media/photos/{photo_id}.thumb.jpg"' in sheet
        assert f'href="/media/photos/{photo_id}.jpg"' in sheet
    assert 'loading="lazy"' not in sheet  # printed: every thumbnail loaded
    assert 'type="file"' not in sheet
    assert "css/photos.css" in sheet


def test_office_detail_shows_the_photos_by_item(client, login, city, with_photos):
    insp_id, failed, passed = with_photos
    login(city.viewer)
    page = client.get(f"/office/inspections/{insp_id}").get_data(as_text=True)
    assert f'src="/media/photos/{failed}.thumb.jpg"' in page
    assert f'src="/media/photos/{passed}.thumb.jpg"' in page
    with client.get(f"/media/photos/{failed}.jpg") as photo:
        assert photo.status_code == 200


def test_amendment_keeps_the_photos_and_passes_the_check(client, with_photos):
    insp_id, failed, _passed = with_photos
    amend_page = client.get(f"/field/inspections/{insp_id}/amend").get_data(as_text=True)
    assert f'src="/media/photos/{failed}.thumb.jpg"' in amend_page
    assert (
        f'type="file" id="ph-{PHOTO_ITEM}" name="photo-{PHOTO_ITEM}"' in amend_page
    )  # sent with the form
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"reason": "补充备注"}
    response = client.post(f"/field/inspections/{insp_id}/amend", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].split("/")[-2])
    assert len(item_photos(new_id)) == 1 and len(item_photos(new_id, "fg.env.02")) == 1
    assert len(item_photos(insp_id)) == 1  # the old revision keeps its own rows
    sheet = client.get(f"/field/inspections/{new_id}/sheet").get_data(as_text=True)
    assert "/media/photos/" in sheet


def test_plain_form_may_carry_more_than_one_photo_worth_of_bytes(app, client, started, jpeg):
    """The per-request limit fits one photo; the checklist post gets room for several."""
    app.config["MAX_CONTENT_LENGTH"] = len(jpeg) + 20_000
    data = form_for("five_goods", fail=(PHOTO_ITEM,))
    files = {f"photo-{PHOTO_ITEM}": (jpeg, "a.jpg"), "photo-fg.env.02": (jpeg + b"\0", "b.jpg")}
    response = post_form(client, f"/field/inspections/{started}", data, files)
    assert response.status_code == 302
    assert len(item_photos(started)) == 1 and len(item_photos(started, "fg.env.02")) == 1
    # Elsewhere the limit stands.
    too_big = post_form(client, f"/field/inspections/{started}/draft", data, files)
    assert too_big.status_code == 413


def test_an_amendment_that_fails_an_item_asks_for_and_takes_its_photo(client, started, jpeg):
    """A new failure on a photo-evidence item is refused without a photo, stored with one."""
    submit_all_passing(client, started)
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"reason": "补录：现场发现问题"}
    refused = post_form(client, f"/field/inspections/{started}/amend", data)
    assert refused.status_code == 422 and "拍照" in refused.get_data(as_text=True)
    response = post_form(
        client,
        f"/field/inspections/{started}/amend",
        data,
        {f"photo-{PHOTO_ITEM}": (jpeg, "a.jpg")},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].split("/")[-2])
    assert len(item_photos(new_id)) == 1 and item_photos(started) == []


def test_a_bad_photo_refuses_the_amendment_and_keeps_what_was_typed(client, started):
    submit_all_passing(client, started)
    data = form_for("five_goods", fail=(PHOTO_ITEM,)) | {"reason": "补录：现场发现问题"}
    files = {f"photo-{PHOTO_ITEM}": (b"not a picture", "note.txt")}
    response = post_form(client, f"/field/inspections/{started}/amend", data, files)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "note.txt" in page and "请重新选择照片" in page and "补录：现场发现问题" in page
    db.session.expire_all()
    assert db.session.scalar(db.select(Inspection).where(Inspection.amends_id == started)) is None
    assert db.session.get(Inspection, started).superseded is False


def submit_all_passing(client, insp_id: int) -> None:
    post_form(client, f"/field/inspections/{insp_id}", form_for("five_goods", fail=()))
    assert submit(client, insp_id).status_code == 302
