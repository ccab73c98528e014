"""The LIVES-style open data bundle: a zip of businesses.csv, inspections.csv, violations.csv.

Written as it is read (a zip stream with data descriptors), a chunk of rows at a time;
the same public facts as the JSON feed, nothing personal.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from app.core.clock import local
from app.extensions import db
from app.models import Answer, Establishment, Inspection, Jurisdiction
from app.publication.feed import published

CHUNK = 500
BUSINESS_HEADERS = ("business_id", "name", "address", "city", "category", "licence_no")
INSPECTION_HEADERS = ("business_id", "score", "date", "type", "outcome", "grade", "corrected")
VIOLATION_HEADERS = ("business_id", "date", "code", "description", "handling")


class Sink(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        """The bytes written since the last take."""
        out, self.parts = b"".join(self.parts), []
        return out


def business_rows(city: str) -> Iterator[tuple]:
    """Active units: public facts only."""
    query = (
        db.select(Establishment, Jurisdiction.name)
        .join(Jurisdiction, Establishment.jurisdiction_id == Jurisdiction.id)
        .where(Establishment.active.is_(True))
        .order_by(Establishment.id)
    )
    for est, area in db.session.execute(query.execution_options(yield_per=CHUNK)):
        yield (
            est.short_code,
            est.name,
            est.address,
            f"{city}{area}",
            est.category,
            est.licence_no or "",
        )


def inspection_rows() -> Iterator[tuple]:
    """Published results, oldest first."""
    query = (
        db.select(Inspection, Establishment.short_code)
        .join(Establishment, Inspection.establishment_id == Establishment.id)
        .where(published())
        .order_by(Inspection.submitted_at, Inspection.id)
    )
    for insp, code in db.session.execute(query.execution_options(yield_per=CHUNK)):
        corrected = local(insp.corrected_at).date().isoformat() if insp.corrected_at else ""
        day = local(insp.submitted_at).strftime("%Y%m%d")
        yield (code, insp.score if insp.score is not None else "", day, insp.inspection_type,
               insp.outcome or "", insp.grade or "", corrected)  # fmt: skip


def violation_rows() -> Iterator[tuple]:
    """The failed items of published results: item code, text and handling (no notes)."""
    query = (
        db.select(Answer, Inspection.submitted_at, Establishment.short_code)
        .join(Inspection, Answer.inspection_id == Inspection.id)
        .join(Establishment, Inspection.establishment_id == Establishment.id)
        .where(published(), Answer.result == "fail")
        .order_by(Inspection.submitted_at, Answer.id)
    )
    for answer, at, code in db.session.execute(query.execution_options(yield_per=CHUNK)):
        day = local(at).strftime("%Y%m%d")
        yield (code, day, answer.item_id, answer.item_text, answer.handling or "")


def stream(city: str) -> Iterator[bytes]:
    """The zip, in pieces as it is written."""
    sink = Sink()
    files = (
        ("businesses.csv", BUSINESS_HEADERS, business_rows(city)),
        ("inspections.csv", INSPECTION_HEADERS, inspection_rows()),
        ("violations.csv", VIOLATION_HEADERS, violation_rows()),
    )
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, headers, rows in files:
            with (
                archive.open(name, "w") as raw,
                io.TextIOWrapper(raw, "utf-8-sig", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow(headers)
                for n, row in enumerate(rows, 1):
                    writer.writerow(row)
                    if n % CHUNK == 0:
                        text.flush()
                        yield sink.take()
            yield sink.take()
    yield sink.take()
