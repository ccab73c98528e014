"""Reading the period and jurisdiction from the query string, with clear messages."""

from __future__ import annotations

from datetime import date

from flask import flash, request
from flask_babel import gettext as _

from app.core.clock import local_today
from app.extensions import db
from app.indicators.catalogue import LEAD_CODES
from app.indicators.periods import Period, PeriodError, parse_period, quarter_of, requested_range
from app.models import Jurisdiction

CAMPAIGN_START = date(2022, 7, 1)


def read_period(default: Period | None = None) -> Period:
    """?period=2024Q3|2024|range, or ?start=&end= dates; falls back to the current quarter."""
    fallback = default or quarter_of(local_today())
    start, end = request.args.get("start", "").strip(), request.args.get("end", "").strip()
    try:
        if start or end:
            return requested_range(date.fromisoformat(start), date.fromisoformat(end))
        code = request.args.get("period", "").strip()
        return parse_period(code) if code else fallback
    except (PeriodError, ValueError):
        flash(
            _("统计期无法识别（示例：2024Q3、2024，或起止日期且结束不早于开始），已显示本季度。"),
            "error",
        )
        return fallback


def read_jurisdiction() -> str | None:
    """?jurisdiction=<code> if that unit exists; None (whole city) otherwise, with a message."""
    code = request.args.get("jurisdiction", "").strip()
    if not code:
        return None
    if db.session.scalar(db.select(Jurisdiction.id).where(Jurisdiction.code == code)) is None:
        flash(_("没有编码为 %(code)s 的辖区，已显示全市。", code=code), "error")
        return None
    return code


class BadLead(ValueError):
    """?lead= names no lead department: the page answers 400 with the message."""


def read_lead() -> str | None:
    """?lead=<department> as a code of LEAD_CODES (or the department's Chinese name, as the
    report links write it): the department's name, None for all; anything else BadLead."""
    asked = request.args.get("lead", "").strip()
    if not asked:
        return None
    if asked in LEAD_CODES:
        return LEAD_CODES[asked]
    if asked in LEAD_CODES.values():
        return asked
    raise BadLead(_("牵头单位无法识别，请从“牵头单位”列表中选择。"))


def lead_code(lead: str | None) -> str | None:
    """The ?lead= code of a department (None for all)."""
    return next((code for code, name in LEAD_CODES.items() if name == lead), None)


def period_choices() -> list[Period]:
    """Quarters and years of the campaign up to today, newest first."""
    today = local_today()
    out, q = [], quarter_of(today)
    while q.end > CAMPAIGN_START:
        out.append(q)
        q = q.previous()
    years = [parse_period(str(y)) for y in range(today.year, CAMPAIGN_START.year - 1, -1)]
    return out + years


def jurisdiction_options() -> list[Jurisdiction]:
    """Every unit, street offices first with their units after them."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.active.is_(True))
    units = db.session.scalars(stmt.order_by(Jurisdiction.code))
    return list(units)
