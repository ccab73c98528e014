"""Office pages: the filtered inspection list, one inspection with its answers, the history."""

from datetime import timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db


def names(client, query="") -> list[str]:
    page = client.get(f"/office/inspections{query}").get_data(as_text=True)
    return [n for n in ("北店", "南店") for _ in range(page.count(f"<strong>{n} "))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["北店", "北店", "南店"]),
        ("?outcome=basic", ["北店"]),
        ("?outcome=compliant", ["北店", "南店"]),
        ("?programme=market", []),
        ("?programme=five_goods", ["北店", "北店", "南店"]),
        ("?jurisdiction_id={south}", ["南店"]),
        ("?inspector_id={inspector}", ["北店", "北店"]),
        ("?date_from={today}&date_to={today}", ["北店", "北店", "南店"]),
        ("?date_to={yesterday}", []),
        ("?date_from=garbage", ["北店", "北店", "南店"]),
    ],
)
def test_list_filters(client, city, several, query, expected):
    today = local_today()
    query = query.format(
        south=city.south.id,
        inspector=city.inspector.id,
        today=today.isoformat(),
        yesterday=(today - timedelta(days=1)).isoformat(),
    )
    assert names(client, query) == expected


def test_list_paginates(client, app, several):
    app.config["FANGXIN_PAGE_SIZE"] = 2
    first = client.get("/office/inspections").get_data(as_text=True)
    assert "第 1 / 2 页" in first and "page=2" in first
    assert "第 2 / 2 页" in client.get("/office/inspections?page=2").get_data(as_text=True)


def test_detail_shows_every_answer_and_the_history(client, several):
    north, _ = several
    from app.models import Inspection

    inspection = db.session.scalar(db.select(Inspection).where(Inspection.outcome == "basic"))
    page = client.get(f"/office/inspections/{inspection.id}").get_data(as_text=True)
    assert (
        page.count('<tr class=""') + page.count('<tr class="row-bad"') == 22
        and "不合格" in page
        and "书面限期整改" in page
    )
    history = client.get(f"/office/establishments/{north.id}").get_data(as_text=True)
    assert "检查记录" in history and history.count("/office/inspections/") == 2


def test_inspectors_cannot_use_office_pages(client, login, city, several):
    client.post("/logout")
    login(city.inspector)
    assert client.get("/office/inspections").status_code == 403
    assert client.get("/office/inspections/1").status_code == 403
