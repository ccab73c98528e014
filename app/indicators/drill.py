"""Drill-down: the subjects behind a figure, counted or in the gap, with their last inspection.

Every subject is on exactly one of the two lists: counted when it meets the figure in full
(num >= den > 0), in the gap otherwise. For a staff-weighted figure (training) a partly
trained unit is therefore in the gap, its trained staff still in the numerator.
The last inspection shown may not count (older than the 12 months, another programme):
not_counted_reason says why.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from app import checklists
from app.extensions import db
from app.indicators.catalogue import Indicator
from app.indicators.sql import P, Scope, flag
from app.models import Complaint, Establishment, Inspection, Jurisdiction, LedgerEntry

LISTS = ("gap", "counted", "all")


def last_inspection_id(est_id, scope: Scope):
    """The establishment's latest live submitted inspection (any programme) up to the end."""
    ins = aliased(Inspection, name="any_i")
    return (
        select(ins.id)
        .where(
            ins.establishment_id == est_id,
            ins.status == "submitted",
            ins.superseded.is_(False),
            ins.submitted_at < P.end_utc,
        )
        .order_by(ins.submitted_at.desc(), ins.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def drill_query(indicator: Indicator, scope: Scope, which: str = "gap") -> Select:
    """Rows for the drill-down list: names, units, weights, last inspection and detail."""
    sub = indicator.query(scope).subquery("s")
    est = aliased(Establishment, name="de")
    unit = aliased(Jurisdiction, name="du")
    top = aliased(Jurisdiction, name="dt")
    last = aliased(Inspection, name="dl")
    act, com = aliased(LedgerEntry, name="da"), aliased(Complaint, name="dc")
    found_in = aliased(Inspection, name="dai")  # the inspection that opened the ledger entry
    last_id = func.coalesce(sub.c.insp_id, last_inspection_id(sub.c.est_id, scope))
    stmt = (
        select(
            sub.c.subject_id,
            sub.c.est_id,
            sub.c.num,
            sub.c.den,
            est.name.label("est_name"),
            est.category,
            unit.name.label("unit_name"),
            unit.code.label("unit_code"),
            top.name.label("top_name"),
            last.id.label("last_id"),
            last.submitted_at.label("last_at"),
            last.programme.label("last_programme"),
            last.outcome.label("last_outcome"),
            flag(last.submitted_at < P.window_start_utc).label("last_outside"),
            act.item_text,
            act.item_id,
            found_in.programme.label("item_programme"),
            act.due_date,
            act.state.label("action_state"),
            com.created_at.label("complaint_at"),
            com.state.label("complaint_state"),
        )
        .select_from(sub)
        .join(unit, unit.id == sub.c.unit_id)
        .join(top, top.id == sub.c.top_id)
        .outerjoin(est, est.id == sub.c.est_id)
        .outerjoin(last, and_(sub.c.est_id.is_not(None), last.id == last_id))
        .outerjoin(act, and_(indicator.subject == "action", act.id == sub.c.subject_id))
        .outerjoin(found_in, found_in.id == act.inspection_id)
        .outerjoin(com, and_(indicator.subject == "complaint", com.id == sub.c.subject_id))
        .order_by(top.code, unit.code, est.name, sub.c.subject_id)
    )
    if which == "counted":
        stmt = stmt.where(sub.c.num >= sub.c.den, sub.c.den > 0)
    elif which == "gap":
        stmt = stmt.where(or_(sub.c.num < sub.c.den, sub.c.den <= 0))
    return stmt.params(**scope.params())


def item_text(row) -> str:
    """A ledger row's item text for the reader: today's English twin by item id, or as stored."""
    language = str(get_locale() or "")
    return checklists.item_text(row.item_programme, row.item_id, row.item_text, language)


def not_counted_reason(indicator: Indicator, row) -> object | None:
    """Why the row's last inspection does not count for the figure (lazy text), if it does not."""
    if indicator.scored_on is None or row.last_at is None:
        return None
    if row.last_outside:
        return _l("超出12个月，不计入")
    if indicator.scored_on != "*" and row.last_programme != indicator.scored_on:
        return _l("非本指标检查项目，不计入")
    return None


class RowPage:
    """A page of result rows with the attributes the pager macro reads."""

    def __init__(self, stmt: Select, page: int, per_page: int):
        self.total = db.session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        )
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        offset = (self.page - 1) * per_page
        self.items = db.session.execute(stmt.limit(per_page).offset(offset)).all()
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1
