"""The per-subject SQL of the lead departments' own figures (issue #14): 发改委's grain
enterprises (task 十一), the catering units' kitchen waste (target 6) and the produce batches
carrying a 承诺达标合格证 (task 七). One row per subject in the denominator, as in queries.py."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select, exists

from app.indicators.sampling import produce_samples
from app.indicators.sql import Scope, flag
from app.models import Answer

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
    return produce_samples(scope, lambda sample: sample.has_certificate.is_(True))
