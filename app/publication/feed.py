"""The open feed: published results as paged JSON (no personal data of anyone).

A result carries the unit, date, type, programme, outcome, grade and handlings of its
failed items; never inspector or operator names, phones, notes, photos, signatures or
complaints (总局令第49号 publishes the result, not the people).
"""

from __future__ import annotations

from sqlalchemy import func

from app.core.clock import local
from app.extensions import db
from app.models import Answer, Establishment, Inspection, Jurisdiction

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


def published():
    """The WHERE clause of the results the public sees (one revision per result)."""
    return Inspection.is_public.is_(True)


def version() -> str:
    """A tag that changes whenever a result or unit is published, corrected or changed."""
    newest = db.session.execute(
        db.select(func.count(Inspection.id), func.max(Inspection.published_at)).where(published())
    ).one()
    units = db.session.execute(
        db.select(func.count(Establishment.id), func.max(Establishment.updated_at))
    ).one()
    return f"{newest[0]}-{newest[1]}-{units[0]}-{units[1]}".replace(" ", "T")


def count_results() -> int:
    """How many results are published."""
    return db.session.scalar(db.select(func.count(Inspection.id)).where(published()))


def failures_of(ids: list[int]) -> dict[int, list[dict]]:
    """The failed items of each result: item id, text and handling (no notes, no photos)."""
    rows = db.session.execute(
        db.select(Answer.inspection_id, Answer.item_id, Answer.item_text, Answer.handling)
        .where(Answer.inspection_id.in_(ids), Answer.result == "fail")
        .order_by(Answer.id)
    )
    out: dict[int, list[dict]] = {i: [] for i in ids}
    for r in rows:
        out[r.inspection_id].append(
            {"item": r.item_id, "text": r.item_text, "handling": r.handling}
        )
    return out


def result_entry(insp, failures: list[dict]) -> dict:
    """One published result as open data."""
    return {
        "id": insp.id,
        "establishment": insp.establishment.short_code,
        "establishment_name": insp.establishment.name,
        "date": local(insp.submitted_at).date().isoformat(),
        "type": insp.inspection_type,
        "programme": insp.programme,
        "outcome": insp.outcome,
        "grade": insp.grade,
        "handling": sorted({f["handling"] for f in failures if f["handling"]}),
        "violations": failures,
        "published_on": local(insp.published_at).date().isoformat(),
        "corrected_on": local(insp.corrected_at).date().isoformat() if insp.corrected_at else None,
    }


def results_page(page: int, per_page: int) -> list[dict]:
    """A page of published results, newest first."""
    rows = list(
        db.session.scalars(
            db.select(Inspection)
            .where(published())
            .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    failures = failures_of([r.id for r in rows])
    return [result_entry(r, failures[r.id]) for r in rows]


def count_establishments() -> int:
    """How many active units the feed lists."""
    return db.session.scalar(
        db.select(func.count(Establishment.id)).where(Establishment.active.is_(True))
    )


def establishments_page(page: int, per_page: int) -> list[dict]:
    """A page of active units: public facts only (no operator, contact or phone)."""
    rows = db.session.execute(
        db.select(Establishment, Jurisdiction.name)
        .join(Jurisdiction, Establishment.jurisdiction_id == Jurisdiction.id)
        .where(Establishment.active.is_(True))
        .order_by(Establishment.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return [
        {
            "id": est.short_code,
            "name": est.name,
            "category": est.category,
            "address": est.address,
            "area": area,
            "licence_no": est.licence_no or None,
        }
        for est, area in rows
    ]
