"""The per-subject SQL of the lead departments' own figures (issue #14): 发改委's grain
enterprises (task 十一), the catering units' kitchen waste (target 6) and the produce batches
carrying a 承诺达标合格证 (task 七). One row per subject in the denominator, as in queries.py."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select, exists, literal, select
from sqlalchemy.orm import aliased, join

from app.indicators.sampling import in_period
from app.indicators.sql import P, Scope, flag, subject_columns
from app.models import Answer, Establishment, Jurisdiction, Sample
from app.models.sample import PRODUCE_TEST_ITEMS

GRAIN_NEW_HARVEST_ITEM = "gr.quality.01"  # grain.toml: new harvest tested batch by batch
KITCHEN_WASTE_ITEM = "ct.waste.02"  # catering.toml: waste to a licensed collector, records


def was_inspected(est, ins):
    """Num: the unit has a live inspection of the programme in the 12 months."""
    return flag(ins.id.is_not(None))


def answered_pass(item_id: str) -> Callable:
    """Num: the latest inspection answered this item "pass" (fail, n/a or unanswered: gap)."""

    def num(est, ins):
        return flag(
            exists().where(
                Answer.inspection_id == ins.id, Answer.item_id == item_id, Answer.result == "pass"
            )
        )

    return num


def produce_certified(scope: Scope) -> Select:
    """One row per produce sample of the period; counted when its batch had a 合格证."""
    est = aliased(Establishment, name="e")
    unit = aliased(Jurisdiction, name="u")
    smp = aliased(Sample, name="sm")
    where = [smp.test_item.in_(PRODUCE_TEST_ITEMS), in_period(smp)]
    if scope.unit_ids is not None:
        where.append(est.jurisdiction_id.in_(P.units))
    frm = join(smp, est, est.id == smp.establishment_id).join(unit, unit.id == est.jurisdiction_id)
    num = flag(smp.has_certificate.is_(True))
    return (
        select(*subject_columns(smp.id, est.id, unit, num, literal(1)))
        .select_from(frm)
        .where(*where)
    )
