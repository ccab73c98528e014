"""The register as lists: the office's filtered list and export, the placard's recent tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import Select

from app.core.labels import (
    BATCH_ACTION_LABELS,
    SAMPLE_METHOD_LABELS,
    SAMPLE_RESULT_LABELS,
    TEST_ITEM_LABELS,
    label,
)
from app.core.scope import establishment_scope
from app.extensions import db
from app.models import Establishment, Sample, User
from app.models.sample import SAMPLE_RESULTS

PUBLIC_DAYS = 3  # the placard shows today's tests and those of the two days before


def register_query(
    user: User,
    establishment_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    result: str = "",
) -> Select:
    """Samples the user may see, newest first, filtered by place, test days and result."""
    stmt = (
        db.select(Sample)
        .join(Establishment, Sample.establishment_id == Establishment.id)
        .where(establishment_scope(user))
    )
    if establishment_id:
        stmt = stmt.where(Sample.establishment_id == establishment_id)
    if first:
        stmt = stmt.where(Sample.tested_on >= first)
    if last:
        stmt = stmt.where(Sample.tested_on <= last)
    if result in SAMPLE_RESULTS:
        stmt = stmt.where(Sample.result == result)
    return stmt.order_by(Sample.tested_on.desc(), Sample.id.desc())


def actions_text(sample: Sample) -> str:
    """The failing batch's handling as labels, joined."""
    return "、".join(label(BATCH_ACTION_LABELS, code) for code in sample.action_codes)


def certificate_text(sample: Sample) -> str:
    """有 / 无 / '' for the batch's 承诺达标合格证."""
    return {True: "有", False: "无"}.get(sample.has_certificate, "")


EXPORT_HEADERS = [
    "检测日期", "单位", "摊位", "样品名称", "检测项目", "检测方式", "结果", "检测值", "计量单位",
    "承诺达标合格证", "合格证编号", "处置", "处置说明", "检测人员", "录入人",
]  # fmt: skip


def export_rows(stmt: Select) -> Iterator[list]:
    """The register's rows for the spreadsheet, one sample at a time (Chinese labels)."""
    for sample in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield [
            sample.tested_on,
            sample.establishment.name,
            sample.stall,
            sample.product,
            str(label(TEST_ITEM_LABELS, sample.test_item)),
            str(label(SAMPLE_METHOD_LABELS, sample.method)),
            str(label(SAMPLE_RESULT_LABELS, sample.result)),
            sample.value,
            sample.unit,
            certificate_text(sample),
            sample.certificate_no,
            actions_text(sample),
            sample.action_note,
            sample.tester_name,
            sample.recorded_by.display_name,
        ]


def public_recent(establishment_id: int, today: date, days: int = PUBLIC_DAYS) -> list[dict]:
    """The last days' tests as the placard shows them: day, stall, product, item, method,
    result — never who tested or entered them."""
    rows = db.session.scalars(
        db.select(Sample)
        .where(
            Sample.establishment_id == establishment_id,
            Sample.tested_on > today - timedelta(days=days),
            Sample.tested_on <= today,
        )
        .order_by(Sample.tested_on.desc(), Sample.id)
    )
    return [public_entry(s) for s in rows]


def public_entry(sample: Sample) -> dict:
    """One test as plain JSON-safe public data."""
    return {
        "date": sample.tested_on.isoformat(),
        "stall": sample.stall,
        "product": sample.product,
        "test_item": sample.test_item,
        "method": sample.method,
        "result": sample.result,
    }
