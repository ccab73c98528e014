"""The field home's due list comes a page at a time, most overdue first, with the total."""

from datetime import UTC, datetime, timedelta

from app.extensions import db


def test_the_due_list_is_paged(app, city, login, client, make_establishment):
    app.config["FANGXIN_PAGE_SIZE"] = 3
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for k in range(7):  # never inspected: due since registered, the oldest first
        make_establishment(name=f"待查店{k}", created_at=start + timedelta(days=k))
    db.session.commit()
    login(city.inspector)
    first = client.get("/field/").get_data(as_text=True)
    assert [f"待查店{k}" in first for k in range(7)] == [True] * 3 + [False] * 4
    assert ">7</span>" in first and "第 1 / 3 页，共 7 条" in first
    last = client.get("/field/?page=3").get_data(as_text=True)
    assert "待查店6" in last and "待查店0" not in last and "上一页" in last
    # A page past the end shows the last one, not an empty list.
    assert "待查店6" in client.get("/field/?page=99").get_data(as_text=True)
