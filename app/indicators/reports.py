"""Quarterly and annual reports: every indicator with the previous period, inspections,
ledger and complaints — as page data and as a formatted XLSX (one sheet per section)."""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy import and_, func, or_, select

from app.core import workdays
from app.core.clock import local_today
from app.core.labels import OUTCOMES, PROGRAMMES, label
from app.core.tabular import write_row
from app.extensions import db
from app.indicators.catalogue import INDICATORS
from app.indicators.periods import Period
from app.indicators.rollup import make_scope, rollup, top_units
from app.indicators.sql import flag, top_id
from app.models import Complaint, Establishment, Inspection, Jurisdiction, LedgerEntry

OK_FILL = PatternFill("solid", fgColor="E8F5EE")
BAD_FILL = PatternFill("solid", fgColor="FDECEA")


def indicator_rows(period: Period, lead: str | None) -> list[dict]:
    """Each indicator (of a lead department, or all) this period and the previous one."""
    now_scope, prev_scope = make_scope(period), make_scope(period.previous())
    rows = []
    for ind in INDICATORS:
        if lead and ind.lead != lead:
            continue
        now, prev = rollup(ind, now_scope), rollup(ind, prev_scope)
        rows.append(
            {
                "ind": ind,
                "now": now[None],
                "prev": prev[None],
                "by_top": now,
                "met": ind.met(now[None].value),
                "prev_met": ind.met(prev[None].value),
            }
        )
    return rows


def inspections(period: Period) -> list[dict]:
    """Live submitted inspections in the period, by programme and outcome."""
    stmt = (
        select(Inspection.programme, Inspection.outcome, func.count())
        .where(
            Inspection.status == "submitted",
            Inspection.superseded.is_(False),
            Inspection.submitted_at >= period.start_utc,
            Inspection.submitted_at < period.end_utc,
        )
        .group_by(Inspection.programme, Inspection.outcome)
    )
    table: dict[str, dict] = {}
    for programme, outcome, n in db.session.execute(stmt):
        row = table.setdefault(programme, {"programme": programme, "total": 0})
        row[outcome or "none"] = n
        row["total"] += n
    order = list(PROGRAMMES)
    return sorted(
        table.values(), key=lambda r: order.index(r["programme"]) if r["programme"] in order else 99
    )


def unit_join(model):
    """FROM model JOIN establishment JOIN jurisdiction, and the street office column."""
    frm = model.__table__.join(Establishment, Establishment.id == model.establishment_id).join(
        Jurisdiction, Jurisdiction.id == Establishment.jurisdiction_id
    )
    return frm, top_id(Jurisdiction)


def count_if(condition):
    return func.sum(flag(condition))


def counts_by_top(frm, top, conditions: tuple, where) -> dict[int, tuple]:
    """{street office: (how many rows meet each condition)}, among the rows matching where."""
    stmt = select(top, *map(count_if, conditions)).select_from(frm).where(where).group_by(top)
    return {t: tuple(n or 0 for n in counts) for t, *counts in db.session.execute(stmt)}


def ledger(period: Period) -> dict[int, tuple]:
    """{street office: (opened, closed, overdue at the end)} for ledger entries."""
    frm, top = unit_join(LedgerEntry)
    # due on or before the last working day before this, still open: overdue (ledger.is_overdue)
    cutoff = workdays.last_working_day_before(min(period.end, local_today()))
    start, end = period.start_utc, period.end_utc
    opened = and_(LedgerEntry.opened_at >= start, LedgerEntry.opened_at < end)
    closed = and_(LedgerEntry.verified_at >= start, LedgerEntry.verified_at < end)
    overdue = and_(
        LedgerEntry.due_date <= cutoff,
        or_(LedgerEntry.verified_at.is_(None), LedgerEntry.verified_at >= end),
    )
    return counts_by_top(frm, top, (opened, closed, overdue), LedgerEntry.opened_at < end)


def complaints(period: Period) -> dict[int, tuple]:
    """{street office: (received, closed, open at the end)} for complaints."""
    frm, top = unit_join(Complaint)
    start, end = period.start_utc, period.end_utc
    received = and_(Complaint.created_at >= start, Complaint.created_at < end)
    closed = and_(Complaint.closed_at >= start, Complaint.closed_at < end)
    still_open = or_(Complaint.closed_at.is_(None), Complaint.closed_at >= end)
    return counts_by_top(frm, top, (received, closed, still_open), Complaint.created_at < end)


def with_total(by_top: dict[int, tuple], tops) -> list[tuple]:
    """[(name, figures…)] per street office and a total row."""
    rows = [(u.name, *by_top.get(u.id, (0, 0, 0))) for u in tops]
    total = tuple(sum(r[i] for r in rows) for i in range(1, 4))
    return [*rows, (_("合计"), *total)]


def report_data(period: Period, lead: str | None = None) -> dict:
    """Everything a quarterly or annual report holds."""
    tops = top_units(period)
    return {
        "period": period,
        "previous": period.previous(),
        "lead": lead,
        "tops": tops,
        "indicators": indicator_rows(period, lead),
        "inspections": inspections(period),
        "ledger": with_total(ledger(period), tops),
        "complaints": with_total(complaints(period), tops),
    }


def _sheet(book, title, headers, rows, percent_cols=()):
    sheet = book.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=2):
        write_row(sheet, number, row)  # text stays text: no formula, no visible apostrophe
    for col in percent_cols:
        for r in range(2, sheet.max_row + 1):
            sheet.cell(r, col).number_format = "0.0%"
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
            10, 2 * len(str(header)) + 4
        )
    sheet.freeze_panes = "A2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    return sheet


def met_text(met):
    return _("无数据") if met is None else (_("达标") if met else _("未达标"))


def report_workbook(period: Period, lead: str | None = None) -> bytes:
    """The report as an official workbook: in Chinese, whatever the UI's language."""
    with force_locale("zh_CN"):
        return report_xlsx(report_data(period, lead))


def report_xlsx(data: dict) -> bytes:
    """The report as a workbook with Chinese headers, one sheet per section."""
    book = Workbook()
    book.remove(book.active)
    heads = [
        _("指标"),
        _("规划条款"),
        _("牵头单位"),
        _("目标"),
        _("本期分子"),
        _("本期分母"),
        _("本期比率"),
        _("是否达标"),
        _("上期分子"),
        _("上期分母"),
        _("上期比率"),
    ]
    rows = [
        [
            r["ind"].title,
            r["ind"].clause,
            r["ind"].lead,
            r["ind"].target_text,
            r["now"].num,
            r["now"].den,
            r["now"].value,
            met_text(r["met"]),
            r["prev"].num,
            r["prev"].den,
            r["prev"].value,
        ]
        for r in data["indicators"]
    ]
    sheet = _sheet(book, _("指标"), heads, rows, percent_cols=(7, 11))
    for i, r in enumerate(data["indicators"], start=2):
        if r["met"] is not None:
            sheet.cell(i, 8).fill = OK_FILL if r["met"] else BAD_FILL
    tops = data["tops"]
    by_top = [
        [
            r["ind"].title,
            *[r["by_top"].get(u.id).value if u.id in r["by_top"] else None for u in tops],
        ]
        for r in data["indicators"]
    ]
    _sheet(
        book,
        _("各辖区指标"),
        [_("指标"), *[u.name for u in tops]],
        by_top,
        percent_cols=range(2, len(tops) + 2),
    )
    keys = list(OUTCOMES)
    _sheet(
        book,
        _("检查情况"),
        [_("检查项目"), *[str(OUTCOMES[k]) for k in keys], _("合计")],
        [
            [label(PROGRAMMES, r["programme"]), *[r.get(k, 0) for k in keys], r["total"]]
            for r in data["inspections"]
        ],
    )
    _sheet(
        book,
        _("挂账督办"),
        [_("辖区"), _("本期新增"), _("本期销号"), _("期末逾期未销号")],
        data["ledger"],
    )
    _sheet(
        book,
        _("投诉举报"),
        [_("辖区"), _("本期收到"), _("本期办结"), _("期末未办结")],
        data["complaints"],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
