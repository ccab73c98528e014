"""The per-subject SQL behind each indicator (one row per subject in the denominator)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, join

from app.checklists import get_programme, inspected_categories
from app.core.workdays import COMPLAINT_ACCEPT_DAYS as ACCEPT_DAYS
from app.core.workdays import COMPLAINT_EXTENSION_DAYS as EXTENSION_DAYS
from app.core.workdays import COMPLAINT_WORKING_DAYS as CHECK_DAYS
from app.core.workdays_sql import within_working_days, working_days_from
from app.due.visits import required_visits_sql
from app.indicators.sql import (
    P,
    Scope,
    establishment_base,
    flag,
    local_date_sql,
    subject_columns,
    submitted_in_window,
    with_latest,
)
from app.models import (
    Answer,
    Complaint,
    Coordinator,
    Establishment,
    Inspection,
    Jurisdiction,
    LedgerEntry,
    Registration,
)
from app.models.establishment import THREE_SMALL_CATEGORIES


def inspected(categories, programme: str, num: Callable, den: Callable | None = None):
    """Establishments of some categories, scored on their latest inspection of a programme."""

    def query(scope: Scope) -> Select:
        est, unit, ins, frm, where = with_latest(scope, categories, programme)
        den_expr = den(est, ins) if den else literal(1)
        return (
            select(*subject_columns(est.id, est.id, unit, num(est, ins), den_expr, ins.id))
            .select_from(frm)
            .where(where)
        )

    return query


def five_goods_met(est, ins):
    return flag(ins.five_goods_met.is_(True))


def bright_kitchen(est, ins):
    return flag(ins.bright_kitchen_live.is_(True))


def yushi(est, ins):
    return flag(ins.yushi_app_in_use.is_(True))


def staff(est, ins):
    return func.coalesce(ins.staff_count, 0)


def trained(est, ins):
    count, done = func.coalesce(ins.staff_count, 0), func.coalesce(ins.staff_trained, 0)
    return case((done > count, count), else_=done)


def markets(scope: Scope) -> Select:
    """Markets graded by a market inspection, or assessed, within the 12 months."""

    def graded(est, ins):
        assessed = and_(
            est.risk_grade.is_not(None),
            est.risk_assessed_on >= P.window_start,
            est.risk_assessed_on <= P.last,
        )
        return flag(or_(ins.grade.is_not(None), assessed))

    return inspected(("farm_market",), "market", graded)(scope)


def surveillance(scope: Scope) -> Select:
    est, unit, frm, where = establishment_base(scope, ("health_centre",))
    num = flag(est.surveillance_site.is_(True))
    return (
        select(*subject_columns(est.id, est.id, unit, num, literal(1)))
        .select_from(frm)
        .where(where)
    )


def registered(scope: Scope) -> Select:
    est, unit, frm, where = establishment_base(scope, THREE_SMALL_CATEGORIES)
    day = P.last
    valid = exists().where(
        Registration.establishment_id == est.id,
        Registration.issued_on.is_not(None),
        Registration.issued_on <= day,
        or_(Registration.valid_until.is_(None), Registration.valid_until >= day),
        or_(Registration.cancelled_on.is_(None), Registration.cancelled_on > day),
    )
    return (
        select(*subject_columns(est.id, est.id, unit, flag(valid), literal(1)))
        .select_from(frm)
        .where(where)
    )


def coordinators(scope: Scope) -> Select:
    unit = aliased(Jurisdiction, name="u")
    day = P.last
    covered = exists().where(
        Coordinator.village_id == unit.id,
        Coordinator.start_on <= day,
        or_(Coordinator.end_on.is_(None), Coordinator.end_on >= day),
    )
    where = [unit.kind == "village", existed_in_period(unit)]
    if scope.unit_ids is not None:
        where.append(unit.id.in_(P.units))
    return select(*subject_columns(unit.id, None, unit, flag(covered), literal(1))).where(*where)


def existed_in_period(unit):
    """A unit counts in a period if it existed at the period's end, when coverage is read.

    So a village made later is not uncovered in earlier quarters, and one closed (or merged
    away, its coordinators moved) before the period's end is not counted uncovered in it.
    A unit with no created_at predates the app's dates and counts in every period.
    """
    return and_(
        or_(unit.created_at.is_(None), unit.created_at < P.end_utc),
        or_(unit.closed_at.is_(None), unit.closed_at >= P.end_utc),
    )


def visits(scope: Scope) -> Select:
    est, unit, frm, where = establishment_base(scope, inspected_categories())
    ins = aliased(Inspection, name="vi")
    done = (
        select(func.count())
        .where(ins.establishment_id == est.id, submitted_in_window(ins, scope))
        .correlate(est)
        .scalar_subquery()
    )
    num = flag(done >= required_visits_sql(current_app.config, est))
    return (
        select(*subject_columns(est.id, est.id, unit, num, literal(1)))
        .select_from(frm)
        .where(where)
    )


def ledger(scope: Scope) -> Select:
    est = aliased(Establishment, name="e")
    unit = aliased(Jurisdiction, name="u")
    act = aliased(LedgerEntry, name="a")
    # verified by the due date, moved past days off (no working day from due to verified)
    verified_on = local_date_sql(act.verified_at)
    on_time = and_(act.verified_at.is_not(None), working_days_from(act.due_date, verified_on) == 0)
    where = [act.due_date >= P.first, act.due_date <= P.as_of]
    if scope.unit_ids is not None:
        where.append(est.jurisdiction_id.in_(P.units))
    frm = join(act, est, est.id == act.establishment_id).join(unit, unit.id == est.jurisdiction_id)
    cols = subject_columns(act.id, est.id, unit, flag(on_time), literal(1))
    return select(*cols).select_from(frm).where(*where)


def complaint_on_time(com, today):
    """(on time, counted) by the rules' clocks: a 举报's check in 15 (+15) working days; a
    投诉 accepted or refused in 7, then, accepted, closed in 15 (+15) from the acceptance.
    A step not done and not yet due leaves the complaint pending (not counted)."""
    received = local_date_sql(com.created_at)
    decided, closed = local_date_sql(com.decided_at), local_date_sql(com.closed_at)
    n = case((com.extended_at.is_not(None), CHECK_DAYS + EXTENSION_DAYS), else_=CHECK_DAYS)
    checked = func.coalesce(case((decided < closed, decided), else_=closed), decided, closed)
    report_ok = and_(checked.is_not(None), within_working_days(received, checked, n))
    report_counted = or_(checked.is_not(None), ~within_working_days(received, today, n))
    rejected = com.decision == "rejected"
    accepted_ok = and_(
        com.decision == "accepted", closed.is_not(None), within_working_days(decided, closed, n)
    )
    complaint_ok = and_(
        decided.is_not(None),
        within_working_days(received, decided, ACCEPT_DAYS),
        or_(rejected, accepted_ok),
    )
    complaint_counted = or_(
        rejected,
        closed.is_not(None),
        and_(decided.is_(None), ~within_working_days(received, today, ACCEPT_DAYS)),
        and_(decided.is_not(None), ~within_working_days(decided, today, n)),
    )
    is_report = com.kind != "complaint"
    on_time = or_(and_(is_report, report_ok), and_(~is_report, complaint_ok))
    counted = or_(and_(is_report, report_counted), and_(~is_report, complaint_counted))
    return on_time, counted


def complaints(scope: Scope) -> Select:
    est = aliased(Establishment, name="e")
    unit = aliased(Jurisdiction, name="u")
    com = aliased(Complaint, name="c")
    on_time, counted = complaint_on_time(com, P.today)
    # insiders' reports are confidential: not in figures a viewer can drill into
    where = [
        com.created_at >= P.start_utc,
        com.created_at < P.end_utc,
        com.insider.is_(False),
        counted,
    ]
    if scope.unit_ids is not None:
        where.append(est.jurisdiction_id.in_(P.units))
    frm = join(com, est, est.id == com.establishment_id).join(unit, unit.id == est.jurisdiction_id)
    return (
        select(*subject_columns(com.id, est.id, unit, flag(on_time), literal(1)))
        .select_from(frm)
        .where(*where)
    )


# --- Issue #14: figures read from the answers of the latest inspection (tasks 四, 九, 十二) ---


def inspected_at_all(est, ins):
    """Any live inspection of the programme in the 12 months (the latest one exists)."""
    return flag(ins.id.is_not(None))


def item_passed(item_id: str) -> Callable:
    """Num: the latest inspection answered this item "pass" (na, fail or none: not met)."""

    def num(est, ins):
        return flag(
            exists().where(
                Answer.inspection_id == ins.id, Answer.item_id == item_id, Answer.result == "pass"
            )
        )

    return num


def section_passed(programme: str, section_id: str) -> Callable:
    """Num: in the latest inspection no item of the section failed and at least one passed
    (as app.inspections.scoring.section_passes); the item ids come from the programme file."""
    ids = [item.id for item in get_programme(programme).section(section_id).items]

    def num(est, ins):
        def answered(result):
            return exists().where(
                Answer.inspection_id == ins.id, Answer.item_id.in_(ids), Answer.result == result
            )

        return flag(and_(answered("pass"), ~answered("fail")))

    return num
