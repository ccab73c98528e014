"""Review before publication: approve publishes, return goes back to the inspector."""

import pytest

from app.extensions import db
from app.models import Inspection
from app.publication import review


@pytest.fixture
def result(shop, make_inspection):
    return make_inspection(shop, "five_goods")


def test_a_new_result_waits_for_review(result):
    assert result.review_state == "pending" and not result.is_public


def test_approve_publishes(client, login, city, result):
    login(city.admin)
    response = client.post(f"/office/inspections/{result.id}/review", data={"decision": "approve"})
    assert response.status_code == 303
    db.session.refresh(result)
    assert result.review_state == "approved" and result.is_public and result.published_at


def test_return_needs_a_note_in_chinese(client, login, city, result):
    login(city.admin)
    client.post(f"/office/inspections/{result.id}/review", data={"decision": "return"})
    db.session.refresh(result)
    assert result.review_state == "pending"
    page = client.get("/office/publication").get_data(as_text=True)
    assert "退回意见" in page


def test_returned_result_is_held_by_the_inspector_who_may_amend(city, result):
    review.return_result(city.admin, result, "地址写错")
    db.session.commit()
    from app.inspections.amendments import can_amend

    assert [i.id for i in review.returned_to(city.inspector)] == [result.id]
    assert can_amend(city.inspector, result)  # a hand-built row: long past the amend window
    (held,) = review.queue()
    assert held.holder == "inspector"


def test_nobody_reviews_their_own_result(shop, city, make_inspection):
    own = make_inspection(shop, "five_goods", inspector=city.admin)
    with pytest.raises(review.ReviewRefused):
        review.approve(city.admin, own)


def test_amended_after_publication_shows_as_corrected(shop, city, make_inspection):
    first = make_inspection(shop, "five_goods")
    review.approve(city.admin, first)
    first.superseded = True
    second = make_inspection(shop, "five_goods", amends_id=first.id, revision=2)
    assert first.is_public  # still the one shown while the amendment waits
    review.approve(city.admin, second)
    db.session.commit()
    db.session.refresh(first)
    assert not first.is_public and second.is_public and second.corrected_at is not None
    assert db.session.scalar(db.select(db.func.count()).where(Inspection.is_public)) == 1


@pytest.mark.parametrize(
    ("who", "page", "review_post"),
    [("admin", 200, 303), ("viewer", 200, 403), ("inspector", 403, 403)],
)
def test_access(client, login, city, result, who, page, review_post):
    login(getattr(city, who))
    assert client.get("/office/publication").status_code == page
    url = f"/office/inspections/{result.id}/review"
    assert client.post(url, data={"decision": "approve"}).status_code == review_post


def test_anonymous_is_sent_to_login(client, result):
    assert client.get("/office/publication").status_code == 302


def test_inspector_sees_returned_result_on_home(client, login, city, submitted):
    result = submitted
    review.return_result(city.admin, result, "地址写错")
    db.session.commit()
    login(city.inspector)
    html = client.get("/field/").get_data(as_text=True)
    assert "被退回的检查结果" in html and "地址写错" in html
    assert f"/field/inspections/{result.id}/amend" in html
    assert client.get(f"/field/inspections/{result.id}/amend").status_code == 200


def test_office_menu_links_the_publication_page(client, login, city):
    login(city.viewer)
    assert 'href="/office/publication"' in client.get("/office/").get_data(as_text=True)
