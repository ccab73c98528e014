"""The registry list asks the database the same few things however many areas a page spans."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from tests.factories import make_jurisdiction


@contextmanager
def counted():
    seen = []

    def count(*_args) -> None:
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_areas_are_loaded_once_a_page(city, login, client, make_establishment):
    make_establishment(name="一号店")
    login(city.admin)
    client.get("/office/establishments")  # the first request's own set-up is not counted
    with counted() as one_area:
        page = client.get("/office/establishments").get_data(as_text=True)
    assert "新区街道 · 新华社区" in page
    for k in range(6):
        unit = make_jurisdiction(f"XQ-1{k}", f"第{k}社区", "community", city.north)
        make_establishment(name=f"店{k}", jurisdiction_id=unit.id)
    with counted() as seven_areas:
        page = client.get("/office/establishments").get_data(as_text=True)
    assert "新区街道 · 第5社区" in page
    assert len(seven_areas) <= len(one_area)
