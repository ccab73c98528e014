"""The indicators as hand-written raw GROUP BY SQL: the floor the declared roll-up is timed against.

Each statement computes what its declared indicator computes, the working-day rules included
(ledger entries verified by their due date moved past days off; complaints on the rules'
clocks): the working days between two dates written out by hand from the day numbers, the
day of the week and calendar_day's shifts, as app.core.workdays_sql counts them.
"""

from __future__ import annotations

from sqlalchemy import Date, DateTime, bindparam, text

from app.checklists import get_programme, inspected_categories
from app.core.workdays import COMPLAINT_ACCEPT_DAYS as ACCEPT
from app.core.workdays import COMPLAINT_EXTENSION_DAYS as EXTENSION
from app.core.workdays import COMPLAINT_WORKING_DAYS as CHECK
from app.core.workdays_sql import WEEKDAYS
from app.indicators.periods import Period
from app.indicators.sampling import DAILY_SHARE_PERCENT
from app.models.sample import PRODUCE_TEST_ITEMS

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


def day_sql(dialect: str):
    """(local date of a UTC timestamp, day number, day of week, next day) for a dialect."""
    if dialect == "sqlite":
        return (
            lambda x: f"date({x}, '+8 hours')",
            lambda x: f"CAST(julianday({x}) AS INTEGER)",
            lambda x: f"CAST(strftime('%w', {x}) AS INTEGER)",
            lambda x: f"date({x}, '+1 day')",
        )
    return (
        lambda x: f"CAST(({x} + INTERVAL '8 hours') AS DATE)",
        lambda x: f"(({x}) - DATE '2000-01-01')",
        lambda x: f"CAST(EXTRACT(DOW FROM {x}) AS INTEGER)",
        lambda x: f"(({x}) + 1)",
    )


def working_days(dialect: str):
    """wd(a, b): working days d with a <= d < b, by hand: weekdays from the day numbers and
    the day of the week, plus calendar_day's shifts (调休 +1, a weekday off -1)."""
    _, num, dow, _ = day_sql(dialect)

    def wd(a: str, b: str) -> str:
        n = f"({num(b)} - {num(a)})"
        rem = f"CAST(substr('{WEEKDAYS}', {dow(a)} * 7 + {n} % 7 + 1, 1) AS INTEGER)"
        shifts = f"(SELECT COALESCE(SUM(cd.shift), 0) FROM calendar_day cd WHERE cd.day >= {a} AND cd.day < {b})"
        return f"(CASE WHEN {b} > {a} THEN ({n} / 7) * 5 + {rem} + {shifts} ELSE 0 END)"

    return wd


def complaints_sql(dialect: str) -> str:
    """On time by the rules' working-day clocks (举报 15 (+15) to check; 投诉 7 to decide, then
    15 (+15) to close), pending ones not counted, insiders' reports left out."""
    local, _, _, after = day_sql(dialect)
    wd = working_days(dialect)
    rec, dec, clo = local("c.created_at"), local("c.decided_at"), local("c.closed_at")
    n = f"(CASE WHEN c.extended_at IS NOT NULL THEN {CHECK + EXTENSION} ELSE {CHECK} END)"

    def within(start: str, done: str, days: str) -> str:
        return f"({done} >= {start} AND {wd(after(start), done)} < {days})"

    checked = f"COALESCE(CASE WHEN {dec} < {clo} THEN {dec} ELSE {clo} END, {dec}, {clo})"
    report_ok = f"({checked} IS NOT NULL AND {within(rec, checked, n)})"
    report_counted = f"({checked} IS NOT NULL OR NOT {within(rec, ':today', n)})"
    complaint_ok = f"""({dec} IS NOT NULL AND {within(rec, dec, str(ACCEPT))} AND (c.decision = 'rejected'
        OR (c.decision = 'accepted' AND {clo} IS NOT NULL AND {within(dec, clo, n)})))"""
    complaint_counted = f"""(c.decision = 'rejected' OR {clo} IS NOT NULL
        OR ({dec} IS NULL AND NOT {within(rec, ":today", str(ACCEPT))})
        OR ({dec} IS NOT NULL AND NOT {within(dec, ":today", n)}))"""
    report = "c.kind <> 'complaint'"
    on_time = f"(({report} AND {report_ok}) OR (NOT ({report}) AND {complaint_ok}))"
    counted = f"(({report} AND {report_counted}) OR (NOT ({report}) AND {complaint_counted}))"
    return f"""SELECT {TOP}, SUM(CASE WHEN {on_time} THEN 1 ELSE 0 END), COUNT(*)
        FROM complaint c JOIN establishment e ON e.id = c.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
        WHERE c.created_at >= :start AND c.created_at < :end AND c.insider = false AND {counted}
        GROUP BY {TOP}"""


def statements(dialect: str) -> dict[str, str]:
    # The categories a checklist applies to, spelled out as the hand-written SQL would.
    visited = ", ".join(f"'{c}'" for c in inspected_categories())
    local, _, _, after = day_sql(dialect)
    wd = working_days(dialect)
    produce = ", ".join(f"'{t}'" for t in PRODUCE_TEST_ITEMS)
    caterers = "'restaurant_large','restaurant_medium','restaurant_small','central_kitchen','group_meal','online_caterer'"
    req = """CASE WHEN e.category IN ('central_kitchen','group_meal') AND COALESCE(e.risk_grade,'B') IN ('A','B') THEN 3
      ELSE CASE COALESCE(e.risk_grade,'B') WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 WHEN 'D' THEN 4 ELSE 2 END END"""

    answered = "SELECT 1 FROM answer an WHERE an.inspection_id = i.id AND an.item_id IN ("
    # the importer's 进货查验 items, spelled out as the hand-written SQL would
    goods = ", ".join(f"'{i.id}'" for i in get_programme("importer").section("goods").items)

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
        "ledger_on_time": f"""SELECT {TOP}, SUM(CASE WHEN a.verified_at IS NOT NULL AND {wd("a.due_date", local("a.verified_at"))} = 0
            THEN 1 ELSE 0 END), COUNT(*)
            FROM action a JOIN establishment e ON e.id = a.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
            WHERE a.due_date >= :first AND a.due_date <= :asof GROUP BY {TOP}""",
        "complaints_15_days": complaints_sql(dialect),
        "produce_pass_rate": f"""SELECT {TOP}, SUM(CASE WHEN sm.result = 'pass' THEN 1 ELSE 0 END), COUNT(*)
            FROM sample sm JOIN establishment e ON e.id = sm.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
            WHERE sm.test_item IN ({produce}) AND sm.tested_on >= :first AND sm.tested_on <= :asof GROUP BY {TOP}""",
        "market_daily_rapid_tests": f"""SELECT {TOP}, SUM(CASE WHEN {wd(":first", after(":asof"))} > 0 AND
            (SELECT COUNT(DISTINCT sm.tested_on) FROM sample sm WHERE sm.establishment_id = e.id AND sm.method = 'rapid'
              AND sm.tested_on >= :first AND sm.tested_on <= :asof AND {wd("sm.tested_on", after("sm.tested_on"))} = 1) * 100
            >= {wd(":first", after(":asof"))} * {DAILY_SHARE_PERCENT} THEN 1 ELSE 0 END), COUNT(*)
            {EST_FROM} WHERE e.category = 'farm_market' AND {ACTIVE} GROUP BY {TOP}""",
        # Issue #14: read from the answers of the latest inspection of the programme.
        "health_food_inspected": latest_for(
            "health_food", "'health_food_seller'", "CASE WHEN i.id IS NOT NULL THEN 1 ELSE 0 END"
        ),
        "online_offline_consistent": latest_for(
            "online_food",
            "'online_caterer'",
            f"CASE WHEN EXISTS ({answered}'of.shop.01') AND an.result = 'pass') THEN 1 ELSE 0 END",
        ),
        "import_records_complete": latest_for(
            "importer",
            "'import_food_seller'",
            f"""CASE WHEN EXISTS ({answered}{goods}) AND an.result = 'pass')
              AND NOT EXISTS ({answered}{goods}) AND an.result = 'fail') THEN 1 ELSE 0 END""",
        ),
        # Issue #14: the lead departments' own figures (发改委's grain, kitchen waste, 合格证).
        "grain_inspected": latest_for(
            "grain", "'grain_enterprise'", "CASE WHEN i.id IS NOT NULL THEN 1 ELSE 0 END"
        ),
        "grain_new_harvest_tested": latest_for(
            "grain",
            "'grain_enterprise'",
            f"CASE WHEN EXISTS ({answered}'gr.quality.01') AND an.result = 'pass') THEN 1 ELSE 0 END",
        ),
        "kitchen_waste_collected": latest_for(
            "catering",
            caterers,
            f"CASE WHEN EXISTS ({answered}'ct.waste.02') AND an.result = 'pass') THEN 1 ELSE 0 END",
        ),
        "produce_certificates": f"""SELECT {TOP}, SUM(CASE WHEN sm.has_certificate THEN 1 ELSE 0 END), COUNT(*)
            FROM sample sm JOIN establishment e ON e.id = sm.establishment_id JOIN jurisdiction u ON u.id = e.jurisdiction_id
            WHERE sm.test_item IN ({produce}) AND sm.tested_on >= :first AND sm.tested_on <= :asof GROUP BY {TOP}""",
    }


def raw_figures(
    session, period: Period, now=None, today=None, codes=None
) -> dict[str, dict[int, tuple]]:
    """{indicator code: {street office id: (num, den)}} by raw SQL (all, or those in codes)."""
    from app.core.clock import local_date, local_today
    from app.core.workdays_sql import sync_years
    from app.models.types import utcnow

    now, today = now or utcnow(), today or local_today()
    sync_years(period.start, max(period.last_day, local_date(now)))  # as Scope.params does
    params = {
        "start": period.start_utc.replace(tzinfo=None),
        "end": period.end_utc.replace(tzinfo=None),
        "wstart": period.window_start_utc.replace(tzinfo=None),
        "wday": period.window_start,
        "last": period.last_day,
        "first": period.start,
        "asof": min(period.last_day, today),
        "today": local_date(now),
    }
    types = {
        "start": DateTime(),
        "end": DateTime(),
        "wstart": DateTime(),
        "today": Date(),
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
