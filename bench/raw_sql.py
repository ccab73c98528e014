"""The indicators as hand-written raw GROUP BY SQL: the floor the declared roll-up is timed against."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Date, DateTime, bindparam, text

from app.checklists import inspected_categories
from app.indicators.periods import Period

ACTIVE = "e.created_at < :end AND (e.closed_at IS NULL OR e.closed_at >= :end)"
WINDOW = "x.status = 'submitted' AND x.superseded = false AND x.submitted_at >= :wstart AND x.submitted_at < :end"
TOP = "COALESCE(u.parent_id, u.id)"
EST_FROM = "FROM establishment e JOIN jurisdiction u ON u.id = e.jurisdiction_id"


def latest(prog: str, cats: str, num: str, den: str = "1", dialect: str = "sqlite") -> str:
    pick = f"""SELECT x.* FROM inspection x WHERE x.establishment_id = e.id AND x.programme = '{prog}'
        AND {WINDOW} ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1"""
    if dialect == "postgresql":
        join = f"LEFT JOIN LATERAL ({pick}) i ON true"
    else:
        join = f"LEFT JOIN inspection i ON i.id = ({pick.replace('x.*', 'x.id', 1)})"
    return f"""SELECT {TOP}, SUM({num}), SUM({den}) {EST_FROM} {join}
      WHERE e.category IN ({cats}) AND {ACTIVE} GROUP BY {TOP}"""


def statements(dialect: str) -> dict[str, str]:
    # The categories a checklist applies to, spelled out as the hand-written SQL would.
    visited = ", ".join(f"'{c}'" for c in inspected_categories())
    local_day = (
        "date(a.verified_at, '+8 hours')"
        if dialect == "sqlite"
        else "CAST(a.verified_at + INTERVAL '8 hours' AS DATE)"
    )
    days = (
        "(julianday(c.closed_at) - julianday(c.created_at))"
        if dialect == "sqlite"
        else "EXTRACT(EPOCH FROM (c.closed_at - c.created_at)) / 86400.0"
    )
    caterers = "'restaurant_large','restaurant_medium','restaurant_small','central_kitchen','group_meal','online_caterer'"
    req = """CASE WHEN e.category IN ('central_kitchen','group_meal') AND COALESCE(e.risk_grade,'B') IN ('A','B') THEN 3
      ELSE CASE COALESCE(e.risk_grade,'B') WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 WHEN 'D' THEN 4 ELSE 2 END END"""

    def latest_for(*args):
        return latest(*args, dialect=dialect)

    return {
        "surveillance_sites": f"SELECT {TOP}, SUM(CASE WHEN e.surveillance_site THEN 1 ELSE 0 END), COUNT(*) {EST_FROM} WHERE e.category = 'health_centre' AND {ACTIVE} GROUP BY {TOP}",
        "five_goods": latest_for(
            "five_goods", "'rural_shop'", "CASE WHEN i.five_goods_met THEN 1 ELSE 0 END"
        ),
        "village_coordinators": f"""SELECT {TOP}, SUM(CASE WHEN EXISTS (SELECT 1 FROM coordinator k WHERE k.village_id = u.id
            AND k.start_on <= :last AND (k.end_on IS NULL OR k.end_on >= :last)) THEN 1 ELSE 0 END), COUNT(*)
            FROM jurisdiction u WHERE u.kind = 'village' GROUP BY {TOP}""",
        "key_bright_kitchen": latest_for(
            "catering",
            "'restaurant_large','central_kitchen','group_meal'",
            "CASE WHEN i.bright_kitchen_live THEN 1 ELSE 0 END",
        ),
        "catering_staff_trained": latest_for(
            "catering",
            caterers,
            "CASE WHEN COALESCE(i.staff_trained,0) > COALESCE(i.staff_count,0) THEN COALESCE(i.staff_count,0) ELSE COALESCE(i.staff_trained,0) END",
            "COALESCE(i.staff_count, 0)",
        ),
        "market_risk_grading": latest_for(
            "market",
            "'farm_market'",
            "CASE WHEN i.grade IS NOT NULL OR (e.risk_grade IS NOT NULL AND e.risk_assessed_on >= :wday AND e.risk_assessed_on <= :last) THEN 1 ELSE 0 END",
        ),
        "three_small_registered": f"""SELECT {TOP}, SUM(CASE WHEN EXISTS (SELECT 1 FROM registration r WHERE r.establishment_id = e.id
            AND r.issued_on IS NOT NULL AND r.issued_on <= :last AND (r.valid_until IS NULL OR r.valid_until >= :last)
            AND (r.cancelled_on IS NULL OR r.cancelled_on > :last)) THEN 1 ELSE 0 END), COUNT(*) {EST_FROM}
            WHERE e.category IN ('small_workshop','small_shop','stall') AND {ACTIVE} GROUP BY {TOP}""",
        "school_bright_kitchen": latest_for(
            "school_canteen",
            "'school_canteen'",
            "CASE WHEN i.bright_kitchen_live THEN 1 ELSE 0 END",
        ),
        "school_yushi_app": latest_for(
            "school_canteen", "'school_canteen'", "CASE WHEN i.yushi_app_in_use THEN 1 ELSE 0 END"
        ),
        "visit_frequency": f"""SELECT {TOP}, SUM(CASE WHEN (SELECT COUNT(x.id) FROM inspection x WHERE x.establishment_id = e.id AND {WINDOW})
            >= {req} THEN 1 ELSE 0 END), COUNT(*) {EST_FROM} WHERE e.category IN ({visited}) AND {ACTIVE} GROUP BY {TOP}""",
        "ledger_on_time": f"""SELECT {TOP}, SUM(CASE WHEN a.verified_at IS NOT NULL AND {local_day} <= a.due_date THEN 1 ELSE 0 END), COUNT(*)
            FROM action a JOIN establishment e ON e.id = a.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
            WHERE a.due_date >= :first AND a.due_date <= :asof GROUP BY {TOP}""",
        "complaints_15_days": f"""SELECT {TOP}, SUM(CASE WHEN c.closed_at IS NOT NULL AND {days} <= 15 THEN 1 ELSE 0 END), COUNT(*)
            FROM complaint c JOIN establishment e ON e.id = c.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
            WHERE c.created_at >= :start AND c.created_at < :end AND (c.closed_at IS NOT NULL OR c.created_at <= :now15)
            GROUP BY {TOP}""",
    }


def raw_figures(
    session, period: Period, now=None, today=None, codes=None
) -> dict[str, dict[int, tuple]]:
    """{indicator code: {street office id: (num, den)}} by raw SQL (all, or those in codes)."""
    from app.core.clock import local_today
    from app.models.types import utcnow

    now, today = now or utcnow(), today or local_today()
    params = {
        "start": period.start_utc.replace(tzinfo=None),
        "end": period.end_utc.replace(tzinfo=None),
        "wstart": period.window_start_utc.replace(tzinfo=None),
        "wday": period.window_start,
        "last": period.last_day,
        "first": period.start,
        "asof": min(period.last_day, today),
        "now15": (now - timedelta(days=15)).replace(tzinfo=None),
    }
    types = {
        "start": DateTime(),
        "end": DateTime(),
        "wstart": DateTime(),
        "now15": DateTime(),
        "wday": Date(),
        "last": Date(),
        "first": Date(),
        "asof": Date(),
    }
    out = {}
    for code, sql in statements(session.get_bind().dialect.name).items():
        if codes is not None and code not in codes:
            continue
        stmt = text(sql).bindparams(
            *(bindparam(k, type_=t) for k, t in types.items() if f":{k}" in sql)
        )
        rows = session.execute(stmt, {k: v for k, v in params.items() if f":{k}" in sql})
        out[code] = {top: (float(n or 0), float(d or 0)) for top, n, d in rows}
    return out
