"""app.photos.service without requests: item lookups, submit checks, gallery, amendments."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from app.checklists import get_programme
from app.extensions import db
from app.inspections.answers import validate_answers
from app.models import Photo
from app.photos import service as photo_service
from tests.factories import DRAFT_ANSWERS, OTHER_ITEM, PHOTO_ITEM, make_establishment


@pytest.fixture
def attach(app, city):
    def run(shop, data, **where):
        photo = photo_service.attach_photo(city.inspector, shop, data, config=app.config, **where)
        db.session.commit()
        return photo

    return run


def test_item_photos_and_the_submit_check(attach, draft, jpeg):
    programme = get_programme("five_goods")
    answers = {a.item_id: a for a in draft.answers}
    photos = photo_service.item_ids_with_photos(draft)
    assert any("不合格须拍照留证" in m for m in validate_answers(programme, answers, photos=photos))
    photo = attach(draft.establishment, jpeg, kind="item", inspection=draft, item_id=PHOTO_ITEM)
    assert photo_service.item_ids_with_photos(draft) == {PHOTO_ITEM}
    assert photo_service.photos_for_item(draft, PHOTO_ITEM) == [photo]
    assert photo_service.photos_for_item(draft, OTHER_ITEM) == []
    assert photo_service.photos_by_item(draft) == {PHOTO_ITEM: [photo]}
    messages = validate_answers(programme, answers, photos={PHOTO_ITEM})
    assert not any("拍照" in m for m in messages)


def test_gallery_lists_every_photo_newest_first_with_context(attach, draft, shop, jpeg):
    storefront = attach(shop, jpeg, kind="establishment")
    on_item = attach(shop, jpeg, kind="item", inspection=draft, item_id=PHOTO_ITEM)
    entries = photo_service.photos_for_establishment(shop)
    assert [e.photo.id for e in entries] == [on_item.id, storefront.id]
    assert (entries[0].label, entries[0].item_text, entries[0].inspection) == (
        "检查项照片",
        "环境整洁",
        draft,
    )
    assert (entries[1].label, entries[1].inspection) == ("单位照片", None)


def test_unanswered_item_takes_its_text_from_the_programme(attach, draft, shop, jpeg):
    item = get_programme("five_goods").items[5]
    attach(shop, jpeg, kind="item", inspection=draft, item_id=item.id)
    (entry,) = photo_service.photos_for_establishment(shop)
    assert entry.item_text == item.text


def test_amendment_copies_item_photos_and_the_gallery_shows_them_once(
    attach, draft, shop, jpeg, make_inspection
):
    original = attach(shop, jpeg, kind="item", inspection=draft, item_id=PHOTO_ITEM)
    draft.status, draft.superseded = "submitted", True
    amendment = make_inspection(shop, "five_goods", status="draft", answers=DRAFT_ANSWERS)
    copies = photo_service.copy_item_photos(draft, amendment)
    db.session.commit()
    assert [(c.inspection_id, c.item_id, c.sha256) for c in copies] == [
        (amendment.id, PHOTO_ITEM, original.sha256)
    ]
    assert photo_service.item_ids_with_photos(amendment) == {PHOTO_ITEM}
    (entry,) = photo_service.photos_for_establishment(shop)
    assert entry.inspection == amendment


def test_submitted_photos_stay(attach, city, draft, jpeg):
    photo = attach(draft.establishment, jpeg, kind="item", inspection=draft, item_id=PHOTO_ITEM)
    draft.status = "submitted"
    with pytest.raises(photo_service.PhotoNotRemovable):
        photo_service.remove_photo(city.inspector, photo)


def test_inconsistent_attachments_are_programming_errors(attach, city, shop, draft, jpeg):
    other = make_establishment(city)
    with pytest.raises(ValueError, match="another establishment"):
        attach(other, jpeg, kind="item", inspection=draft, item_id=PHOTO_ITEM)
    with pytest.raises(ValueError, match="kind"):
        attach(shop, jpeg, kind="selfie")
    with pytest.raises(ValueError, match="item id"):
        attach(shop, jpeg, kind="item", inspection=draft)


def test_files_posted_with_a_whole_checklist_form_are_attached(app, city, draft, jpeg):
    files = MultiDict(
        [
            (f"photo-{PHOTO_ITEM}", FileStorage(io.BytesIO(jpeg), filename="a.jpg")),
            (f"photo-{OTHER_ITEM}", FileStorage(io.BytesIO(b"not an image"), filename="b.jpg")),
            (f"photo-{OTHER_ITEM}", FileStorage(io.BytesIO(b""), filename="")),  # none chosen
            ("photo-no.such", FileStorage(io.BytesIO(jpeg), filename="c.jpg")),
        ]
    )
    messages = photo_service.attach_form_files(city.inspector, draft, files, config=app.config)
    text = get_programme("five_goods").item(OTHER_ITEM).text
    assert messages == [
        f"【{text}】b.jpg：文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"
    ]
    rows = db.session.scalars(db.select(Photo)).all()
    assert [(p.item_id, p.kind) for p in rows] == [(PHOTO_ITEM, "item")]
