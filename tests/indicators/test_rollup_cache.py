"""The dashboard's cached roll-up always equals the live one (issue #15): after a submit, an
amendment, a transfer, a close and a deactivation, on SQLite and PostgreSQL."""

from sqlalchemy import text

from app.core.clock import local_today
from app.extensions import db
from app.indicators import INDICATORS, cache
from app.indicators.cache import cached_rollups, compiled
from app.indicators.dashboard import figures_over_time
from app.indicators.periods import last_quarters, quarter_of
from app.indicators.rollup import make_scope, rollup_all, rollup_statement
from app.indicators.sql import Scope
from app.models import DataVersion, Establishment, RollupCache
from app.models.data_version import UNTRACKED
from app.registry import jurisdictions
from app.registry.establishments import close_establishment, update_establishment
from tests.factories import form_for


def as_tuples(figures: dict) -> dict:
    return {code: {k: (f.num, f.den) for k, f in by.items()} for code, by in figures.items()}


def assert_cache_equals_live(code=None) -> None:
    """The dashboard's figures (through the cache) equal a live roll-up, quarter by quarter."""
    period = quarter_of(local_today())
    db.session.commit()
    current, series = figures_over_time(period, code)
    base = make_scope(period, code)
    for quarter, figures in series:
        live = rollup_all(Scope(quarter, base.unit_ids, now=base.now, today=base.today))
        assert as_tuples(figures) == as_tuples(live), quarter.code
    assert as_tuples(current) == as_tuples(rollup_all(base))


def versions() -> dict:
    return dict(db.session.execute(db.select(DataVersion.table_name, DataVersion.version)).all())


def five_goods_now() -> tuple:
    period = quarter_of(local_today())
    figures = figures_over_time(period, None)[0]["five_goods"][None]
    return figures.num, figures.den


def test_every_indicator_reads_only_tracked_tables(app):
    scope = make_scope(quarter_of(local_today()))
    for ind in INDICATORS:
        comp = compiled(rollup_statement(ind, scope))
        assert comp.tables and not set(comp.tables) & UNTRACKED, ind.code
        assert comp.cacheable, ind.code
    ledger = compiled(
        rollup_statement(INDICATORS[[i.code for i in INDICATORS].index("ledger_on_time")], scope)
    )
    assert {"action", "calendar_day", "establishment", "jurisdiction"} <= set(ledger.tables)


def test_writes_bump_versions_and_rollbacks_do_not(app, city, shop):
    before = versions().get("establishment", 0)
    db.session.execute(text("UPDATE establishment SET operator = 'w'"))
    db.session.commit()
    assert versions()["establishment"] == before + 1
    db.session.execute(text("UPDATE establishment SET operator = 'x'"))
    db.session.rollback()
    assert versions()["establishment"] == before + 1
    db.session.execute(text("UPDATE establishment SET operator = 'y'"))
    db.session.commit()
    assert versions()["establishment"] == before + 2


def test_cache_equals_live_through_every_write(app, client, city, shop, submitted, make_inspection):
    """submitted: a five-goods inspection with a failed item (five goods not met)."""
    other = Establishment(
        name="第二家", category="rural_shop", jurisdiction_id=city.north_c.id, address="路"
    )
    db.session.add(other)
    db.session.commit()
    assert_cache_equals_live()
    stored = db.session.scalar(db.select(db.func.count()).select_from(RollupCache))
    assert stored >= len(INDICATORS) * 4
    first = five_goods_now()
    assert first == (0, 2)
    assert_cache_equals_live()  # from the cache this time: the same figures

    # submit: the second shop's inspection, all passed, through the services
    make_inspection(other, "five_goods", via="services")
    db.session.expire_all()
    assert five_goods_now() == (1, 2)
    assert_cache_equals_live()

    # amend: the first shop's inspection corrected to all passed (client: the inspector)
    amended = form_for("five_goods", fail=(), extra={"reason": "补录：健康证当场出示"})
    assert client.post(f"/field/inspections/{submitted.id}/amend", data=amended).status_code == 302
    db.session.expire_all()
    assert five_goods_now() == (2, 2)
    assert_cache_equals_live()
    assert_cache_equals_live(city.north.code)

    # transfer: the second shop moves to the south street office, then a community moves
    update_establishment(
        city.admin, db.session.get(Establishment, other.id), jurisdiction_id=city.south_c.id
    )
    db.session.commit()
    assert_cache_equals_live()
    assert_cache_equals_live(city.south.code)
    jurisdictions.move(city.admin, city.north_v, city.south)
    db.session.commit()
    assert_cache_equals_live()

    # close: the first shop closes (out of the denominator at the period's end)
    close_establishment(city.admin, db.session.get(Establishment, shop.id), "停业")
    db.session.commit()
    db.session.expire_all()
    assert five_goods_now() == (1, 1)
    assert_cache_equals_live()

    # deactivation: the south village (now without units) closes as a jurisdiction
    jurisdictions.close(city.admin, city.south_v)
    db.session.commit()
    assert_cache_equals_live()


def test_own_uncommitted_writes_are_never_cached(app, city, shop, submitted):
    period = quarter_of(local_today())
    scopes = [Scope(q, None) for q in last_quarters(period, 1)]
    before = as_tuples(cached_rollups(scopes)[0])
    shop.category = "small_shop"  # pending, then rolled back
    during = as_tuples(cached_rollups(scopes)[0])
    assert during["five_goods"][None] == (0, 0)
    db.session.rollback()
    assert as_tuples(cached_rollups(scopes)[0]) == before


def test_warm_fills_the_cache_for_the_city_and_each_street_office(
    app, runner, city, submitted, monkeypatch
):
    result = runner.invoke(args=["indicators", "warm"])
    assert result.exit_code == 0, result.output
    assert "全市" in result.output
    assert city.north.code in result.output and city.south.code in result.output

    def computed(*args):
        raise AssertionError("computed again after warm")

    monkeypatch.setattr(cache, "rollup", computed)
    period = quarter_of(local_today())
    for code in (None, city.north.code, city.south.code):
        figures_over_time(period, code)


def test_warm_refuses_an_unknown_period_in_chinese(app, runner):
    result = runner.invoke(args=["indicators", "warm", "--period", "0000Q1"])
    assert result.exit_code != 0
    assert "无法识别的期间" in result.output
