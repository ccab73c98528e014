"""The per-subject SQL of the sampling indicators (plan task 三 and task 七)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import aliased, join

from app.core.workdays_sql import day_after, working_days_from
from app.indicators.sql import P, Scope, establishment_base, flag, subject_columns
from app.models import Establishment, Jurisdiction, Sample
from app.models.sample import PRODUCE_TEST_ITEMS

# A market tests "daily" when it has rapid tests on at least this share of working days.
DAILY_SHARE_PERCENT = 80


def in_period(sample) -> object:
    """Tested on a day from the period's first day up to its last counted day (as_of)."""
    return and_(sample.tested_on >= P.first, sample.tested_on <= P.as_of)


def produce_pass(scope: Scope) -> Select:
    """One row per produce sample of the period; counted when it passed."""
    return produce_samples(scope, lambda sample: sample.result == "pass")


def produce_samples(scope: Scope, counted: Callable[[Sample], ColumnElement]) -> Select:
    """One row per produce sample (pesticide, veterinary drug, clenbuterol …) in the period,
    in the numerator when counted(sample) holds."""
    est = aliased(Establishment, name="e")
    unit = aliased(Jurisdiction, name="u")
    smp = aliased(Sample, name="sm")
    where = [smp.test_item.in_(PRODUCE_TEST_ITEMS), in_period(smp)]
    if scope.unit_ids is not None:
        where.append(est.jurisdiction_id.in_(P.units))
    frm = join(smp, est, est.id == smp.establishment_id).join(unit, unit.id == est.jurisdiction_id)
    num = flag(counted(smp))
    return (
        select(*subject_columns(smp.id, est.id, unit, num, literal(1)))
        .select_from(frm)
        .where(*where)
    )


def is_working(day) -> object:
    """The day is a working day, as app.core.workdays counts it."""
    return working_days_from(day, day_after(day)) == 1


def daily_rapid_tests(scope: Scope) -> Select:
    """Markets on the register at the period's end; counted when they rapid-tested on at least
    DAILY_SHARE_PERCENT of the period's working days up to its last counted day."""
    est, unit, frm, where = establishment_base(scope, ("farm_market",))
    smp = aliased(Sample, name="sm")
    tested_days = (
        select(func.count(func.distinct(smp.tested_on)))
        .where(
            smp.establishment_id == est.id,
            smp.method == "rapid",
            in_period(smp),
            is_working(smp.tested_on),
        )
        .correlate(est)
        .scalar_subquery()
    )
    working = working_days_from(P.first, day_after(P.as_of))
    num = flag(and_(working > 0, tested_days * 100 >= working * DAILY_SHARE_PERCENT))
    return (
        select(*subject_columns(est.id, est.id, unit, num, literal(1)))
        .select_from(frm)
        .where(where)
    )
