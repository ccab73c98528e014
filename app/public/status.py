"""What the public page of an establishment shows: public fields only, in a few queries.

Nothing here reads inspector names, notes, photos, answers or the operator's contacts;
`public_status` builds a plain dict that the page and the JSON both render as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func

from app.checklists import get_programme
from app.core.clock import LOCAL_ZONE, local, local_today
from app.extensions import db
from app.inspections.ledger import LIVE_STATES
from app.inspections.scoring import catering_annual_grade
from app.models import Establishment, Inspection, LedgerEntry, Registration
from app.models.establishment import CATERING_CATEGORIES, THREE_SMALL_CATEGORIES
from app.registers.registrations import EXPIRY_WARNING_DAYS, KIND_BY_CATEGORY
from app.sampling.queries import public_recent

RECENT = 5  # results listed on the page
LOOKBACK = 12  # recent inspections read to find each sign's latest value
CATERING_GRADES = ("excellent", "good", "fair", "none")
PUBLIC_INSPECTION = (
    Inspection.submitted_at,
    Inspection.programme,
    Inspection.outcome,
    Inspection.grade,
    Inspection.five_goods_met,
    Inspection.bright_kitchen_live,
)


def submitted(establishment_id: int):
    """The WHERE clause of an establishment's published results (one revision each)."""
    return (Inspection.establishment_id == establishment_id, Inspection.is_public.is_(True))


def load(token: str) -> tuple[Establishment, int] | None:
    """The establishment for a token and its count of corrections under way, in one query.

    Under way until an inspector verifies the fix: reported fixed or escalated still counts.
    """
    open_actions = (
        db.select(func.count(LedgerEntry.id))
        .where(LedgerEntry.establishment_id == Establishment.id, LedgerEntry.state.in_(LIVE_STATES))
        .scalar_subquery()
    )
    row = db.session.execute(
        db.select(Establishment, open_actions).where(Establishment.qr_token == token)
    ).first()
    return (row[0], row[1]) if row else None


def recent_inspections(establishment_id: int) -> list:
    """The latest submitted inspections, newest first, public columns only."""
    return list(
        db.session.execute(
            db.select(*PUBLIC_INSPECTION)
            .where(*submitted(establishment_id))
            .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
            .limit(LOOKBACK)
        )
    )


def latest_registration(establishment_id: int) -> Registration | None:
    """The establishment's latest issued registration or filing still in force."""
    return db.session.scalar(
        db.select(Registration)
        .where(
            Registration.establishment_id == establishment_id,
            Registration.number.is_not(None),
            Registration.issued_on.is_not(None),
            Registration.cancelled_on.is_(None),
            Registration.state.not_in(("cancelled", "superseded")),
        )
        .order_by(Registration.issued_on.desc(), Registration.id.desc())
        .limit(1)
    )


def pending_application(establishment_id: int) -> Registration | None:
    """The establishment's newest registration or filing applied for and not yet decided."""
    return db.session.scalar(
        db.select(Registration)
        .where(Registration.establishment_id == establishment_id, Registration.state == "applied")
        .order_by(Registration.applied_on.desc(), Registration.id.desc())
        .limit(1)
    )


def card_state(valid_until: date | None) -> tuple[str, int | None]:
    """issued, expiring (with the days left, EXPIRY_WARNING_DAYS or fewer) or expired."""
    if valid_until is None:
        return "issued", None
    days_left = (valid_until - local_today()).days
    if days_left < 0:
        return "expired", None
    return ("expiring", days_left) if days_left <= EXPIRY_WARNING_DAYS else ("issued", None)


def three_small(est: Establishment) -> dict | None:
    """A "three small" unit's registration or filing state; None for other categories.

    none, applied, issued, expiring (days_left) or expired. The registers allow no new
    application while a card is issued, so a card in force and a pending one never meet.
    """
    if est.category not in THREE_SMALL_CATEGORIES:
        return None
    out = {"kind": KIND_BY_CATEGORY[est.category], "state": "none", "days_left": None}
    out["applied_on"] = None
    if (reg := latest_registration(est.id)) is not None:
        state, days_left = card_state(reg.valid_until)
        out |= {"kind": reg.kind, "state": state, "days_left": days_left}
    elif (pending := pending_application(est.id)) is not None:
        out |= {"kind": pending.kind, "state": "applied"}
        out["applied_on"] = pending.applied_on.isoformat()
    return out


def annual_catering_grade(establishment_id: int) -> str | None:
    """A/B/C from the catering grades of the last 12 months, None without any."""
    since = local_today() - timedelta(days=365)
    grades = db.session.scalars(
        db.select(Inspection.grade).where(
            *submitted(establishment_id),
            Inspection.programme == "catering",
            Inspection.grade.in_(CATERING_GRADES),
            Inspection.submitted_at >= _midnight(since),
        )
    )
    try:
        params = get_programme("catering").param("annual")
    except KeyError:
        params = None
    return catering_annual_grade(list(grades), params)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_ZONE)


def first(rows: list, column: str):
    """The newest non-null value of a column among the inspections, or None."""
    return next((getattr(r, column) for r in rows if getattr(r, column) is not None), None)


def signs(est: Establishment, rows: list) -> dict:
    """The category's signs: smiley and A/B/C, risk grade, five goods, bright kitchen."""
    out: dict = {}
    if est.category in CATERING_CATEGORIES:
        latest = next((r for r in rows if r.programme == "catering"), None)
        out["smiley"] = latest.grade if latest else None
        out["annual_grade"] = annual_catering_grade(est.id) if latest else None
    if est.category == "farm_market":
        out["risk_grade"] = est.risk_grade
    if est.category == "rural_shop":
        out["five_goods"] = first(
            [r for r in rows if r.programme == "five_goods"], "five_goods_met"
        )
    if est.category == "school_canteen" or est.is_key_caterer:
        out["bright_kitchen"] = first(rows, "bright_kitchen_live")
    return out


def registration_info(est: Establishment) -> dict:
    """The number shown with its validity: the latest registration's, else the licence's."""
    reg = latest_registration(est.id)
    if reg is not None:
        return validity(reg.kind, reg.number, reg.issued_on, reg.valid_until)
    if not est.licence_no:
        return validity(None, None, None, None)
    return validity("licence", est.licence_no, est.permit_issued_on, est.licence_valid_until)


def validity(kind: str | None, number, issued_on: date | None, valid_until: date | None) -> dict:
    """A number with its ISO dates and whether it has expired (today, locally)."""
    return {
        "kind": kind,
        "number": number,
        "issued_on": issued_on.isoformat() if issued_on else None,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "expired": bool(valid_until and valid_until < local_today()),
    }


def inspection_entry(row) -> dict:
    """One result as shown to the public: local date, programme, outcome, grade."""
    return {
        "date": local(row.submitted_at).date().isoformat() if row.submitted_at else None,
        "programme": row.programme,
        "outcome": row.outcome,
        "grade": row.grade,
    }


def public_status(est: Establishment, open_actions: int) -> dict:
    """Every public fact about an establishment, as plain JSON-safe data."""
    rows = recent_inspections(est.id)
    return {
        "name": est.name,
        "category": est.category,
        "category_label": est.category_label,
        "address": est.address,
        "short_code": est.short_code,
        "active": est.active,
        "closed_on": local(est.closed_at).date().isoformat() if est.closed_at else None,
        "registration": registration_info(est),
        "three_small": three_small(est),
        "latest": inspection_entry(rows[0]) if rows else None,
        "recent": [inspection_entry(r) for r in rows[:RECENT]],
        "signs": signs(est, rows),
        "rapid_tests": public_recent(est.id, local_today()),
        "corrections_under_way": open_actions > 0,
        "open_corrections": open_actions,
    }
