"""XLSX export of a drill-down: a summary, the gap (the to-do list) and those counted.

In Chinese whatever the UI's language: it is the office's working record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.clock import format_local
from app.core.labels import (
    COMPLAINT_STATE_LABELS,
    LEDGER_STATE_LABELS,
    OUTCOMES,
    PROGRAMMES,
    label,
)
from app.core.tabular import xlsx_file
from app.extensions import db
from app.indicators.catalogue import WEIGHTED_LISTS, Indicator
from app.indicators.charts import percent
from app.indicators.drill import drill_query, item_text, not_counted_reason
from app.indicators.rollup import rollup
from app.indicators.sql import Scope
from app.models.establishment import CATEGORIES

BATCH = 1000  # rows read from the database at a time while the workbook is written


def drill_headers() -> list[str]:
    return [
        _("编号"),
        _("街道办事处"),
        _("社区/村"),
        _("单位"),
        _("类别"),
        _("分子"),
        _("分母"),
        _("最近检查时间"),
        _("检查项目"),
        _("检查结果"),
        _("说明"),
    ]


def detail(ind: Indicator, row) -> str:
    """Ledger entry or complaint details, or why the last inspection does not count."""
    if row.due_date is not None:
        state = label(LEDGER_STATE_LABELS, row.action_state)
        return f"{item_text(row)} · {_('整改期限')} {row.due_date} · {state}"
    if row.complaint_at is not None:
        state = label(COMPLAINT_STATE_LABELS, row.complaint_state)
        return f"{_('收到')} {format_local(row.complaint_at)} · {state}"
    reason = not_counted_reason(ind, row)
    return "" if reason is None else str(reason)


def drill_row(ind: Indicator, row) -> list:
    """One drill-down row as spreadsheet cells."""
    return [
        row.subject_id,
        row.top_name,
        row.unit_name,
        row.est_name or row.unit_name,
        label(CATEGORIES, row.category),
        row.num,
        row.den,
        format_local(row.last_at),
        label(PROGRAMMES, row.last_programme),
        label(OUTCOMES, row.last_outcome),
        detail(ind, row),
    ]


def drill_xlsx(ind: Indicator, scope: Scope) -> bytes:
    """The workbook for one indicator, period and jurisdiction, in Chinese."""
    with drill_file(ind, scope) as fh:
        return fh.read()


def drill_file(ind: Indicator, scope: Scope) -> BinaryIO:
    """The same workbook as a file written row by row (rewound; the caller closes it)."""
    with force_locale("zh_CN"):
        return xlsx_file(drill_sheets(ind, scope))


def summary_rows(ind: Indicator, scope: Scope) -> list[list]:
    """The summary sheet: what the figure is, its value and how it is computed."""
    fig = rollup(ind, scope)[None]
    met = ind.met(fig.value)
    summary = [
        [_("指标"), ind.title],
        [_("规划条款"), ind.clause],
        [_("牵头单位"), ind.lead],
        [_("统计期"), scope.period.label],
        [_("分子"), fig.num],
        [_("分母"), fig.den],
        [_("比率"), percent(fig.value)],
        [_("目标"), ind.target_text],
        [_("是否达标"), _("无数据") if met is None else (_("达标") if met else _("未达标"))],
        [_("计算方法"), str(ind.rule)],
    ]
    if ind.weighted:
        summary.append([_("清单说明"), str(WEIGHTED_LISTS)])
    return summary


def drill_sheets(ind: Indicator, scope: Scope) -> dict:
    """{sheet title: (headers, rows)}: the summary, the gap and the counted."""
    sheets = {_("汇总"): ([_("项目"), _("内容")], summary_rows(ind, scope))}
    for which, title in (("gap", _("差距清单")), ("counted", _("已计入分子"))):
        sheets[title] = (drill_headers(), drill_rows(ind, scope, which))
    return sheets


def drill_rows(ind: Indicator, scope: Scope, which: str) -> Iterator[list]:
    """The gap's or the counted's rows, read BATCH at a time as the workbook is written."""
    stmt = drill_query(ind, scope, which)
    for row in db.session.execute(stmt, execution_options={"yield_per": BATCH}):
        yield drill_row(ind, row)
