"""Per-street-office data versions (issue #15, a province's dashboard right after a write): a
flushed write bumps only its street offices' counters, and the dashboard then computes only
those street offices again; the figures still equal the live ones."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.core.clock import local_today
from app.demo.city import seed_demo
from app.extensions import db
from app.indicators import INDICATORS, cache
from app.indicators.periods import last_quarters, quarter_of
from app.indicators.rollup import rollup, rollup_statement, top_units, unit_ids_for
from app.indicators.sql import Scope
from app.models import Establishment, Inspection, data_partition
from app.models.data_partition import partition_key
from app.registry.establishments import update_establishment
from tests.indicators.test_rollup_cache import assert_cache_equals_live, versions


def test_a_flushed_write_bumps_its_street_office_only(app, city, shop):
    before = versions()
    shop.name = "改名"
    db.session.commit()
    after = versions()
    north = partition_key("establishment", city.north.id)
    assert after[north] == before.get(north, 0) + 1
    assert after.get("establishment") == before.get("establishment")
    assert partition_key("establishment", city.south.id) not in after


def test_writes_outside_a_flush_bump_the_whole_table(app, city, shop):
    before = versions().get("establishment", 0)
    db.session.execute(text("UPDATE establishment SET operator = 'x'"))
    db.session.commit()
    assert versions()["establishment"] == before + 1


def test_a_transfer_bumps_both_street_offices(app, city, shop):
    update_establishment(city.admin, shop, jurisdiction_id=city.south_c.id)
    db.session.commit()
    after = versions()
    for top in (city.north, city.south):
        assert after[partition_key("establishment", top.id)] >= 1


def test_an_expired_row_is_still_attributed(app, city, shop):
    """After a commit every attribute is expired; changing one must not bump the table."""
    db.session.commit()
    before = versions().get("establishment", 0)
    shop.operator = "新经营者"
    db.session.commit()
    assert versions().get("establishment", 0) == before


def test_a_deleted_draft_and_its_answers_bump_their_street_office(app, city, draft):
    before = versions()
    db.session.delete(db.session.get(Inspection, draft.id))
    db.session.commit()
    after = versions()
    for table in ("inspection", "answer"):
        assert after.get(table) == before.get(table), table
        key = partition_key(table, city.north.id)
        assert after[key] > before.get(key, 0), table


def test_after_a_write_only_its_street_office_is_computed_again(
    app, city, shop, submitted, make_inspection, monkeypatch
):
    south_shop = Establishment(
        name="南边小店", category="rural_shop", jurisdiction_id=city.south_c.id, address="路"
    )
    db.session.add(south_shop)
    db.session.commit()
    assert_cache_equals_live()
    computed = []
    real = cache.rollup
    monkeypatch.setattr(cache, "rollup", lambda ind, s: computed.append(s) or real(ind, s))
    make_inspection(south_shop, "five_goods", via="services")
    db.session.expire_all()
    assert_cache_equals_live()
    assert computed, "nothing was computed again after the submit"
    south_units = unit_ids_for(city.south.code)
    assert all(s.unit_ids and s.unit_ids <= south_units for s in computed)


@pytest.fixture
def small_demo(app):
    seed_demo(0.1)  # the smallest demo with every figure of this quarter non-empty
    db.session.commit()


def test_each_street_offices_figure_is_its_own_units_figure(app, small_demo):
    """What the partial recompute relies on, for every indicator: a street office's figure
    over the whole city equals the figure computed over that street office's units alone."""
    today = local_today()
    for quarter in last_quarters(quarter_of(today), 2):
        whole = Scope(quarter, None, today=today)
        for ind in INDICATORS:
            figures = rollup(ind, whole)
            assert figures[None].den or quarter != quarter_of(today), ind.code
            for top in top_units(quarter):
                own = Scope(quarter, unit_ids_for(top.code), today=today)
                alone = rollup(ind, own).get(top.id)
                expected = figures.get(top.id)
                assert (alone and (alone.num, alone.den)) == (
                    expected and (expected.num, expected.den)
                ), (ind.code, quarter.code, top.code)


def test_a_past_quarters_key_does_not_change_with_the_day(app):
    """Only the values a statement binds are in its key: a figure that does not count from
    today (every past quarter's but the complaints') stays cached from one day to the next."""
    quarter = last_quarters(quarter_of(local_today()), 2)[0]
    by_code = {ind.code: ind for ind in INDICATORS}
    keys = {}
    for day in (quarter.last_day + timedelta(days=3), quarter.last_day + timedelta(days=4)):
        now = datetime.combine(day, time(4), tzinfo=UTC)
        scope = Scope(quarter, None, now=now, today=day)
        for code in ("five_goods", "complaints_15_days"):
            comp = cache.compiled(rollup_statement(by_code[code], scope))
            keys.setdefault(code, set()).add(cache.cache_key(comp, scope.params()))
    assert len(keys["five_goods"]) == 1
    assert len(keys["complaints_15_days"]) == 2


def test_a_flush_failed_in_a_savepoint_leaves_later_writes_unattributed(app, city, draft):
    before = versions().get("inspection", 0)
    draft.review_note = "已到店"  # a flushed write, of the north street office
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Inspection(establishment_id=draft.establishment_id))  # no programme
        db.session.flush()
    db.session.execute(text("UPDATE inspection SET updated_at = updated_at"))  # every row
    db.session.commit()
    assert versions()["inspection"] == before + 1


@pytest.mark.parametrize(
    ("stored", "now", "stale"),
    [
        ({"inspection": 3, "inspection@7": 2}, {"inspection": 3, "inspection@7": 2}, set()),
        ({"inspection": 3, "inspection@7": 2}, {"inspection": 3, "inspection@7": 3}, {7}),
        ({"inspection": 3}, {"inspection": 3, "inspection@9": 1}, {9}),
        ({"inspection": 3, "inspection@7": 2}, {"inspection": 4, "inspection@7": 2}, None),
        ({"inspection": 3, "ci": 0}, {"inspection": 3}, None),  # a row of another shape
    ],
)
def test_stale_street_offices(stored, now, stale):
    assert cache.stale_tops(stored, now) == stale


def test_a_write_of_many_establishments_bumps_the_whole_table(app, city, monkeypatch):
    monkeypatch.setattr(data_partition, "MANY", 1)  # the two communities are two owners
    before = versions().get("establishment", 0)
    db.session.add_all(
        Establishment(name=f"店{n}", category="rural_shop", jurisdiction_id=unit.id, address="路")
        for n, unit in enumerate([city.north_c, city.south_c] * 3)
    )
    db.session.commit()
    assert versions()["establishment"] == before + 1
