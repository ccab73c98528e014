"""Village coordinators and the coverage of villages."""

from datetime import date

import pytest

from app.registers import coordinators
from tests.factories import make_jurisdiction


def test_coverage_by_village_follows_the_dates(city):
    coordinators.add(
        None,
        name="李四",
        phone="139",
        village_id=city.north_v.id,
        start_on=date(2024, 3, 1),
        end_on=date(2024, 8, 31),
    )

    def uncovered(day):
        return {v.id for v in coordinators.uncovered_villages(day)}

    assert uncovered(date(2024, 2, 29)) == {city.north_v.id, city.south_v.id}
    assert uncovered(date(2024, 3, 1)) == {city.south_v.id}
    assert uncovered(date(2024, 8, 31)) == {city.south_v.id}
    assert uncovered(date(2024, 9, 1)) == {city.north_v.id, city.south_v.id}


def test_communities_are_not_villages_and_open_ended_terms_cover(city):
    extra = make_jurisdiction("XQ-03", "河口村", "village", city.north)
    coordinators.add(
        None, name="赵六", phone="", village_id=extra.id, start_on=date(2024, 1, 1), end_on=None
    )
    day = date(2030, 1, 1)
    assert {v.id for v in coordinators.uncovered_villages(day)} == {
        city.north_v.id,
        city.south_v.id,
    }
    assert {v.id for v in coordinators.uncovered_villages(day, city.inspector)} == {city.north_v.id}
    assert [c.name for c in coordinators.listing(active_on=day)] == ["赵六"]


def test_refuses_a_community_or_an_end_before_the_start(city):
    with pytest.raises(coordinators.CoordinatorError):
        coordinators.add(
            None,
            name="x",
            phone="",
            village_id=city.north_c.id,
            start_on=date(2024, 1, 1),
            end_on=None,
        )
    with pytest.raises(coordinators.CoordinatorError):
        coordinators.add(
            None,
            name="x",
            phone="",
            village_id=city.north_v.id,
            start_on=date(2024, 5, 1),
            end_on=date(2024, 4, 1),
        )
    c = coordinators.add(
        None, name="x", phone="", village_id=city.north_v.id, start_on=date(2024, 5, 1), end_on=None
    )
    with pytest.raises(coordinators.CoordinatorError):
        coordinators.update(None, c, end_on=date(2024, 4, 30))
    assert coordinators.update(None, c, end_on=date(2024, 12, 31)) == {
        "end_on": [None, "2024-12-31"]
    }
