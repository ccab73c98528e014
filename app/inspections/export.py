"""The inspection list and the hazard ledger as spreadsheet rows, in the office's language.

Rows hold dates as dates (date cells in XLSX).
"""

from collections.abc import Iterator
from datetime import date

from flask_babel import force_locale
from sqlalchemy import Select, func
from sqlalchemy.orm import selectinload

from app.core.clock import local_date
from app.core.labels import HANDLING_LABELS, LEDGER_STATE_LABELS, OUTCOMES, SMILEYS, label
from app.extensions import db
from app.inspections import ledger
from app.models import Answer, Inspection, LedgerEntry

INSPECTION_HEADERS = [
    "检查日期", "单位名称", "类别", "所属辖区", "检查项目", "检查人员", "第二检查人员", "结果",
    "得分", "等级", "不合格项数", "版本", "检查编号",
]  # fmt: skip

BATCH = 1000  # rows read from the database at a time while an export streams

LEDGER_HEADERS = [
    "单位名称", "所属辖区", "检查项", "处理方式", "整改期限", "状态", "是否逾期", "开立日期",
    "整改完成日期", "复查日期", "备注",
]  # fmt: skip


def failed_item_count():
    """How many items of the inspection failed, as a correlated subquery."""
    return (
        db.select(func.count(Answer.id))
        .where(Answer.inspection_id == Inspection.id, Answer.result == "fail")
        .scalar_subquery()
    )


def inspection_rows(stmt: Select) -> Iterator[list]:
    """Every inspection the office list's query finds, as rows under INSPECTION_HEADERS.

    Rows come as they are read, BATCH at a time, for an export that is streamed.
    """
    stmt = stmt.add_columns(failed_item_count()).options(selectinload(Inspection.establishment))
    with force_locale("zh_CN"):  # a register in the office's language, whatever the UI's
        for insp, failed in db.session.execute(stmt.execution_options(yield_per=BATCH)):
            yield inspection_row(insp, failed)


def inspection_row(insp: Inspection, failed: int) -> list:
    """One current inspection as a row; the list shows current revisions only."""
    est = insp.establishment
    return [
        local_date(insp.submitted_at),
        est.name,
        est.category_label,
        est.jurisdiction.full_name,
        insp.checklist_version.title,
        insp.inspector.display_name,
        insp.second_inspector,
        label(OUTCOMES, insp.outcome),
        insp.score,
        grade_label(insp),
        failed,
        insp.revision,
        insp.id,
    ]


def grade_label(insp: Inspection) -> str:
    """The programme's own verdict: five goods met or not, a catering or market grade."""
    if insp.five_goods_met is not None:
        return "“五好”达标" if insp.five_goods_met else "“五好”未达标"
    return label(SMILEYS, insp.grade)


def ledger_rows(stmt: Select, today: date) -> Iterator[list]:
    """Every entry the ledger's query finds, as rows under LEDGER_HEADERS, as they are read."""
    stmt = stmt.options(selectinload(LedgerEntry.establishment))
    with force_locale("zh_CN"):
        for entry in db.session.scalars(stmt.execution_options(yield_per=BATCH)):
            yield ledger_row(entry, today)


def ledger_row(entry: LedgerEntry, today: date) -> list:
    """One ledger entry as a row, overdue as of today (Asia/Shanghai)."""
    return [
        entry.establishment.name,
        entry.establishment.jurisdiction.full_name,
        entry.item_text or entry.item_id,
        label(HANDLING_LABELS, entry.handling),
        entry.due_date,
        label(LEDGER_STATE_LABELS, entry.state),
        "是" if ledger.is_overdue(entry, today) else "否",
        local_date(entry.opened_at),
        local_date(entry.rectified_at),
        local_date(entry.verified_at),
        entry.note,
    ]
