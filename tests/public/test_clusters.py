"""Near-duplicate complaints: what counts as alike, and the queue page folded."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.public import clusters
from app.public.complaints import submit_complaint


def complain(est, text, n, hours_ago=0.0):
    complaint = submit_complaint(est, text, "", f"sender-{n}", 99)
    complaint.created_at -= timedelta(hours=hours_ago)
    return complaint


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("后厨有老鼠！", "后厨  有老鼠", True),  # identical once normalised
        ("ＡＢＣ饭店卫生差。", "abc饭店卫生差", True),  # width and case
        ("冷菜间没有防蝇设施，服务员不戴口罩", "冷菜间没有防蝇设施，服务员没戴口罩", True),
        ("后厨有老鼠", "卖过期牛奶", False),
        ("后厨有老鼠", "", False),
    ],
)
def test_similar_texts(a, b, alike):
    assert clusters.similar_texts(clusters.Words.of(a), clusters.Words.of(b)) is alike


def test_alike_needs_the_same_establishment_and_a_day(city, make_establishment):
    shop, other = make_establishment(), make_establishment()
    first = complain(shop, "后厨有老鼠", 1, hours_ago=30)
    day_later = complain(shop, "后厨有老鼠", 2, hours_ago=7)
    elsewhere = complain(other, "后厨有老鼠", 3, hours_ago=7)
    now = complain(shop, "后厨有老鼠！！", 4)
    db.session.commit()
    assert clusters.similar_to(city.admin, now) == [day_later]
    assert clusters.similar_to(city.admin, first) == [day_later]
    assert clusters.similar_to(city.admin, elsewhere) == []


def test_a_flood_is_folded_and_a_real_complaint_stands_out(city, make_establishment):
    shop, other = make_establishment(), make_establishment()
    flood = [
        complain(shop, f"这家店太脏了{'！' * (n % 3)}", n, hours_ago=n / 10) for n in range(20)
    ]
    real = complain(shop, "昨晚在店里吃了凉皮后腹泻，两人就医", 21)
    elsewhere = complain(other, "这家店太脏了", 22)
    db.session.commit()
    page = sorted([real, *flood, elsewhere], key=lambda c: c.created_at, reverse=True)
    folded = clusters.fold(city.admin, page)
    assert set(folded.shown) == {real, flood[0], elsewhere}
    assert folded.similar == {flood[0].id: 19}


def test_what_a_user_may_not_see_is_not_counted(city, make_establishment):
    south = make_establishment(jurisdiction_id=city.south_c.id)
    complain(south, "后厨有老鼠", 1, hours_ago=1)
    latest = complain(south, "后厨有老鼠", 2)
    db.session.commit()
    assert len(clusters.similar_to(city.admin, latest)) == 1
    assert len(clusters.similar_to(city.other_inspector, latest)) == 1  # covers the south
    assert clusters.similar_to(city.inspector, latest) == []  # the north's inspector
    assert clusters.fold(city.inspector, []).shown == []
