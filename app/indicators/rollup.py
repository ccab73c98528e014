"""Computing indicators: GROUP BY street office in the database, for any period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, func, or_, select

from app.core.clock import local_today
from app.extensions import db
from app.indicators import sql
from app.indicators.catalogue import INDICATORS, Indicator
from app.indicators.periods import Period, last_quarters
from app.indicators.sql import Scope
from app.models import Jurisdiction
from app.models.types import utcnow


class UnknownJurisdiction(LookupError):
    """A jurisdiction code that is not in the tree."""


@dataclass(frozen=True)
class Figure:
    """Numerator and denominator of one indicator for one group."""

    num: float = 0
    den: float = 0

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.num + other.num, self.den + other.den)


def unit_ids_for(code: str | None) -> frozenset[int] | None:
    """The unit with this code and every unit under it; None for the whole city."""
    if not code:
        return None
    unit = db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == code))
    if unit is None:
        raise UnknownJurisdiction(code)
    return units_under(frozenset({unit.id}))


def units_under(ids: frozenset[int]) -> frozenset[int]:
    """These units and every unit under them (the tree has two levels)."""
    where = or_(Jurisdiction.id.in_(ids), Jurisdiction.parent_id.in_(ids))
    return frozenset(db.session.scalars(select(Jurisdiction.id).where(where)))


def make_scope(
    period: Period, jurisdiction: str | None = None, now: datetime | None = None
) -> Scope:
    """A scope for a period and an optional jurisdiction code, as of now."""
    now = now or utcnow()
    return Scope(period, unit_ids_for(jurisdiction), now=now, today=local_today())


def rollup_statement(indicator: Indicator, scope: Scope) -> Select:
    """The GROUP BY statement, built once per app and shape, then run with each scope's values."""
    cache = current_app.extensions.setdefault("fangxin_indicator_sql", {})
    key = (indicator.code, scope.unit_ids is not None, sql.LATEST_STRATEGY)
    if key not in cache:
        sub = indicator.query(scope).subquery()
        cache[key] = select(sub.c.top_id, func.sum(sub.c.num), func.sum(sub.c.den)).group_by(
            sub.c.top_id
        )
    return cache[key]


def rollup(indicator: Indicator, scope: Scope) -> dict[int | None, Figure]:
    """{street office id: Figure} plus the total under None — one aggregate query."""
    rows = db.session.execute(rollup_statement(indicator, scope), scope.params())
    out = {top: Figure(float(n or 0), float(d or 0)) for top, n, d in rows}
    out[None] = sum(out.values(), Figure())
    return out


def rollup_all(scope: Scope, indicators=INDICATORS) -> dict[str, dict[int | None, Figure]]:
    """Every indicator's figures for one scope, keyed by indicator code."""
    return {ind.code: rollup(ind, scope) for ind in indicators}


def trends(scope: Scope, indicators=INDICATORS, n: int = 4) -> dict[str, list]:
    """[(quarter, city Figure)] for the last n quarters up to the scope's period, per indicator."""
    out: dict[str, list] = {ind.code: [] for ind in indicators}
    for quarter in last_quarters(scope.period, n):
        sub_scope = Scope(quarter, scope.unit_ids, now=scope.now, today=scope.today)
        for ind in indicators:
            out[ind.code].append((quarter, rollup(ind, sub_scope)[None]))
    return out


def top_units(period: Period | None = None) -> list[Jurisdiction]:
    """The street offices and the zone, in code order: those open at the period's end."""
    stmt = select(Jurisdiction).where(Jurisdiction.parent_id.is_(None))
    if period is None:
        stmt = stmt.where(Jurisdiction.active.is_(True))
    else:
        open_then = or_(Jurisdiction.closed_at.is_(None), Jurisdiction.closed_at >= period.end_utc)
        existed = or_(Jurisdiction.created_at.is_(None), Jurisdiction.created_at < period.end_utc)
        stmt = stmt.where(open_then, existed)
    return list(db.session.scalars(stmt.order_by(Jurisdiction.code)))
