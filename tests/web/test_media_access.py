"""Who may see and send photos: parametrized over every kind of user."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.photos import service as photo_service
from tests.factories import PHOTO_ITEM, make_user

USERS = ["anonymous", "other_inspector", "inspector", "viewer", "admin"]
SEE = {"anonymous": 404, "other_inspector": 404, "inspector": 200, "viewer": 200, "admin": 200}
SEND = {"anonymous": 401, "other_inspector": 404, "inspector": 201, "viewer": 403, "admin": 201}


@pytest.fixture
def as_user(city, login):
    """Sign in as one of USERS (or stay anonymous)."""

    def sign_in(who: str):
        if who != "anonymous":
            login(getattr(city, who))

    return sign_in


@pytest.fixture
def item_photo(app, city, draft, jpeg):
    """A photo on the draft's failed item, stored through the service."""
    photo = photo_service.attach_photo(
        city.inspector, draft.establishment, jpeg, kind="item", inspection=draft,
        item_id=PHOTO_ITEM, config=app.config,
    )  # fmt: skip
    db.session.commit()
    return photo


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("suffix", [".jpg", ".thumb.jpg"])
def test_photo_is_served_only_to_those_who_may_see_the_establishment(
    who, suffix, as_user, client, item_photo
):
    as_user(who)
    with client.get(f"/media/photos/{item_photo.id}{suffix}") as response:
        assert response.status_code == SEE[who]
        if response.status_code == 200:
            assert response.content_type == "image/jpeg"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
            assert response.headers["ETag"] == f'"{item_photo.sha256}"'
            assert response.get_data()[:3] == b"\xff\xd8\xff"
        else:
            assert "Location" not in response.headers  # a 404, never a login redirect


def test_unchanged_photo_answers_304(city, login, client, item_photo):
    login(city.inspector)
    etag = f'"{item_photo.sha256}"'
    with client.get(f"/media/photos/{item_photo.id}.jpg", headers={"If-None-Match": etag}) as r:
        assert r.status_code == 304 and r.get_data() == b""


@pytest.mark.parametrize(
    "url", ["/media/", "/media/photos/", "/media/photos/999.jpg", "/media/photos/x.jpg"]
)
def test_no_listing_and_no_guessing(city, login, client, url, item_photo):
    login(city.admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", USERS)
def test_establishment_photo_upload_by_role(who, as_user, shop, upload, jpeg):
    as_user(who)
    response = upload(f"/media/establishments/{shop.id}/photos", jpeg)
    assert response.status_code == SEND[who]
    if SEND[who] >= 400:
        assert response.get_json()["error"]


@pytest.mark.parametrize("who", USERS)
def test_item_photo_upload_by_role(who, as_user, draft, upload, jpeg):
    as_user(who)
    response = upload(f"/media/inspections/{draft.id}/items/{PHOTO_ITEM}/photos", jpeg)
    assert response.status_code == SEND[who]


def test_anonymous_plain_form_upload_goes_to_login(shop, upload, jpeg):
    response = upload(f"/media/establishments/{shop.id}/photos", jpeg, json=False)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_inspector_of_the_same_area_cannot_add_to_someone_elses_draft(
    city, login, draft, upload, jpeg
):
    colleague = make_user("colleague", "inspector", [city.north])
    db.session.commit()
    login(colleague)
    response = upload(f"/media/inspections/{draft.id}/items/{PHOTO_ITEM}/photos", jpeg)
    assert response.status_code == 403


@pytest.mark.parametrize("who", USERS)
def test_removing_a_draft_photo_by_role(who, as_user, client, item_photo):
    as_user(who)
    response = client.post(
        f"/media/photos/{item_photo.id}/delete", headers={"Accept": "application/json"}
    )
    expected = {"anonymous": 401, "other_inspector": 404, "viewer": 403}.get(who, 200)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["inspector", "viewer", "admin"])
def test_establishment_pages_show_the_gallery(who, as_user, client, shop, item_photo):
    as_user(who)
    page = "/office" if who in ("viewer", "admin") else "/field"
    html = client.get(f"{page}/establishments/{shop.id}").get_data(as_text=True)
    assert f"/media/photos/{item_photo.id}.thumb.jpg" in html
    assert "环境整洁" in html  # the item's text beside its photo
    can_upload = who != "viewer"
    assert (f'data-photo-upload="/media/establishments/{shop.id}/photos"' in html) is can_upload
