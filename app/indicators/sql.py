"""SQL building blocks shared by the indicator declarations (portable SQLite / PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, and_, bindparam, case, func, literal, or_, select, true
from sqlalchemy.orm import aliased, join
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Date

from app.core.clock import local_date
from app.core.sql_functions import dialect_function
from app.core.workdays_sql import sync_years
from app.extensions import db
from app.indicators.periods import Period
from app.models import Establishment, Inspection, Jurisdiction
from app.models.types import UTCDateTime, utcnow

# How the latest qualifying inspection is found: "correlated" (ORDER BY ... LIMIT 1 per
# establishment, an index seek each) or "window" (ROW_NUMBER over the window's inspections).
# bench/rollup.py times both; correlated won on SQLite and PostgreSQL at 20k/200k.
LATEST_STRATEGY = "correlated"


@dataclass
class Scope:
    """What a figure is computed over: a period, optional unit ids, and 'now'."""

    period: Period
    unit_ids: frozenset[int] | None = None
    now: datetime | None = None
    today: date | None = None
    extra: dict = field(default_factory=dict)

    @property
    def as_of(self) -> date:
        """The last day counted: the period's last day, or today if the period is running."""
        if self.today and self.today < self.period.last_day:
            return self.today
        return self.period.last_day

    def params(self) -> dict:
        """Values for the bound parameters in P (statements are built once, run per period)."""
        p, now = self.period, self.now or utcnow()
        # The working-day counts read calendar_day: have the package's years copied in.
        sync_years(p.start, max(p.last_day, local_date(now)))
        values = {
            "p_start_utc": p.start_utc,
            "p_end_utc": p.end_utc,
            "p_window_start_utc": p.window_start_utc,
            "p_window_start": p.window_start,
            "p_first": p.start,
            "p_last": p.last_day,
            "p_as_of": self.as_of,
            "p_today": local_date(now),
        }
        if self.unit_ids is not None:
            values["p_units"] = sorted(self.unit_ids)
        return values


class P:
    """The bound parameters every indicator statement uses; values come from Scope.params()."""

    start_utc = bindparam("p_start_utc", type_=UTCDateTime())
    end_utc = bindparam("p_end_utc", type_=UTCDateTime())
    window_start_utc = bindparam("p_window_start_utc", type_=UTCDateTime())
    window_start = bindparam("p_window_start", type_=Date())
    first = bindparam("p_first", type_=Date())
    last = bindparam("p_last", type_=Date())
    as_of = bindparam("p_as_of", type_=Date())
    today = bindparam("p_today", type_=Date())  # the local date of "now"
    units = bindparam("p_units", expanding=True)


local_date_sql = dialect_function(
    "local_date_sql",
    Date(),
    "date({}, '+8 hours')",
    "CAST(({} + INTERVAL '8 hours') AS DATE)",
    "The Asia/Shanghai calendar date of a naive-UTC timestamp column (fixed UTC+8).",
)


def top_id(unit) -> ColumnElement[int]:
    """The street office (top level) of a unit: its parent, or itself at the top."""
    return func.coalesce(unit.parent_id, unit.id)


def active_at_end(est) -> ColumnElement[bool]:
    """Registered before the period ended and not closed by then (closed_at, not `active`)."""
    return and_(
        est.created_at < P.end_utc, or_(est.closed_at.is_(None), est.closed_at >= P.end_utc)
    )


def submitted_in_window(ins, scope: Scope) -> ColumnElement[bool]:
    """A live submitted inspection in the 12 months up to the period's end."""
    return and_(
        ins.status == "submitted",
        ins.superseded.is_(False),
        ins.submitted_at >= P.window_start_utc,
        ins.submitted_at < P.end_utc,
    )


def establishment_base(scope: Scope, categories) -> tuple:
    """(est alias, unit alias, FROM clause, WHERE clause) for active establishments."""
    est = aliased(Establishment, name="e")
    unit = aliased(Jurisdiction, name="u")
    where = [est.category.in_(categories), active_at_end(est)]
    if scope.unit_ids is not None:
        where.append(est.jurisdiction_id.in_(P.units))
    return (
        est,
        unit,
        join(est, unit, unit.id == est.jurisdiction_id),
        and_(*where),
    )


def latest_select(est, programme: str, scope: Scope, whole_row: bool = False):
    """Correlated: the establishment's latest qualifying inspection of a programme.

    Its id, or with whole_row every column (for a LATERAL join).
    """
    src = aliased(Inspection, name="ci")
    return (
        select(src if whole_row else src.id)
        .where(
            src.establishment_id == est.id,
            src.programme == programme,
            submitted_in_window(src, scope),
        )
        .order_by(src.submitted_at.desc(), src.id.desc())
        .limit(1)
    )


def with_latest(scope: Scope, categories, programme: str) -> tuple:
    """(est, unit, latest inspection columns, FROM, WHERE) for the population of categories.

    SQLite joins ON inspection.id = (correlated ... LIMIT 1), a nested loop of index seeks.
    PostgreSQL hashes the whole inspection table for that join, so there the same pick is
    a LEFT JOIN LATERAL. "window" ranks the window's inspections with ROW_NUMBER instead.
    """
    est, unit, frm, where = establishment_base(scope, categories)
    if LATEST_STRATEGY == "window":
        ins = aliased(Inspection, name="li")
        src = aliased(Inspection, name="wi")
        rn = func.row_number().over(
            partition_by=src.establishment_id, order_by=(src.submitted_at.desc(), src.id.desc())
        )
        ranked = (
            select(src.id.label("iid"), src.establishment_id.label("eid"), rn.label("rn"))
            .where(src.programme == programme, submitted_in_window(src, scope))
            .subquery("ranked")
        )
        latest = select(ranked.c.iid, ranked.c.eid).where(ranked.c.rn == 1).subquery("latest")
        frm = frm.outerjoin(latest, latest.c.eid == est.id).outerjoin(ins, ins.id == latest.c.iid)
        return est, unit, ins, frm, where
    if db.engine.dialect.name == "postgresql":
        lateral = latest_select(est, programme, scope, whole_row=True).lateral("li")
        return est, unit, lateral.c, frm.outerjoin(lateral, true()), where
    ins = aliased(Inspection, name="li")
    pick = latest_select(est, programme, scope).correlate(est).scalar_subquery()
    return est, unit, ins, frm.outerjoin(ins, ins.id == pick), where


def flag(condition) -> ColumnElement[int]:
    """1 when the condition holds, else 0 (NULL counts as not met)."""
    return case((condition, 1), else_=0)


def subject_columns(subject_id, est_id, unit, num, den, insp_id=None) -> list:
    """The columns every indicator's per-subject query returns, in this order."""
    null_int = literal(None, Integer)
    return [
        subject_id.label("subject_id"),
        (est_id if est_id is not None else null_int).label("est_id"),
        unit.id.label("unit_id"),
        top_id(unit).label("top_id"),
        (insp_id if insp_id is not None else null_int).label("insp_id"),
        num.label("num"),
        den.label("den"),
    ]
