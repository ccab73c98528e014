"""Recording a day's tests: every row checked first, then all kept at once, each only once.

A row carries the phone's client UUID, so a double tap or a replayed form keeps nothing
twice. A failing result opens a hazard-ledger entry (调查处理), as a failed checklist item
does, due in SAMPLE_DUE_WORKING_DAYS working days: time to confirm, trace and dispose.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit, workdays
from app.core.labels import TEST_ITEM_LABELS, in_chinese
from app.extensions import db
from app.inspections.ledger import AUDITED
from app.models import Establishment, LedgerEntry, Sample, User
from app.models.sample import SAMPLED_CATEGORIES
from app.sampling.rows import check_row, is_blank

SAMPLE_DUE_WORKING_DAYS = 5
MAX_ROWS = 60


class SamplesRefused(ValueError):
    """Rows that cannot be kept; .messages name the row and the reason, in Chinese."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def checked_rows(rows: list[dict], today: date | None = None) -> list[dict]:
    """The non-blank rows' values; raises SamplesRefused naming each bad row."""
    kept, messages = [], []
    for number, row in enumerate(rows, start=1):
        if is_blank(row):
            continue
        values, problems = check_row(row, today)
        messages += [_("第 %(n)d 行：%(m)s", n=number, m=m) for m in problems]
        kept.append(values)
    if not kept and not messages:
        messages.append(_("请至少填写一行检测记录"))
    if len(kept) > MAX_ROWS:
        messages.append(_("一次最多提交 %(n)d 行", n=MAX_ROWS))
    if messages:
        raise SamplesRefused(messages)
    return kept


def record_samples(
    actor: User, establishment: Establishment, rows: list[dict], today: date | None = None
) -> list[Sample]:
    """Check and commit a day's rows for one market or shop; known client UUIDs are replays."""
    if establishment.category not in SAMPLED_CATEGORIES or not establishment.active:
        raise SamplesRefused([_("该单位不是在册的农贸市场或食品经营店，不能登记快检")])
    samples = []
    for values in checked_rows(rows, today):
        known = by_uuid(values["client_uuid"]) if values["client_uuid"] else None
        samples.append(known or add_sample(actor, establishment, values))
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the first one kept it all
        db.session.rollback()
        return [by_uuid(v["client_uuid"]) for v in checked_rows(rows, today)]
    return samples


def add_sample(actor: User, establishment: Establishment, values: dict) -> Sample:
    """One new sample (flushed, audited); a failing one opens its ledger entry."""
    sample = Sample(
        **(values | {"client_uuid": values["client_uuid"] or str(uuid.uuid4())}),
        establishment_id=establishment.id,
        recorded_by_id=actor.id,
    )
    db.session.add(sample)
    db.session.flush()
    audit.record(actor, "create", sample, summary(establishment, sample))
    if sample.result == "fail":
        open_entry(actor, sample)
    return sample


def summary(establishment: Establishment, sample: Sample) -> str:
    # A plain Chinese summary, as the office's records keep it.
    item = in_chinese(TEST_ITEM_LABELS[sample.test_item])
    outcome = "合格" if sample.result == "pass" else "不合格"
    return f"检测 {establishment.name}：{sample.product} {item} {outcome}"


def item_text(sample: Sample) -> str:
    """What the ledger entry says was found, in Chinese."""
    stall = f"（{sample.stall}）" if sample.stall else ""
    item = in_chinese(TEST_ITEM_LABELS[sample.test_item])
    return f"{sample.product}{stall}{item}检测不合格"


def open_entry(actor: User, sample: Sample) -> LedgerEntry:
    """The ledger entry of a failing sample, audited as a failed item's is (ledger.open)."""
    entry = LedgerEntry(
        establishment_id=sample.establishment_id,
        sample_id=sample.id,
        item_id=f"sample.{sample.test_item}",
        item_text=item_text(sample),
        handling="investigate",
        due_date=workdays.add_working_days(sample.tested_on, SAMPLE_DUE_WORKING_DAYS),
        state="open",
        note=sample.action_note,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        actor,
        "open",
        entry,
        audit.message("ledger.open", item=audit.bilingual(entry.item_text[:60])),
        {"after": audit.snapshot(entry, AUDITED)},
    )
    return entry


def by_uuid(client_uuid: str | None) -> Sample | None:
    """The sample carrying this client UUID."""
    if not client_uuid:
        return None
    return db.session.scalar(db.select(Sample).where(Sample.client_uuid == client_uuid))
