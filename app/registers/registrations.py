"""Registrations (登记证) and filings (备案卡) of the "three small".

Number format: ``<prefix>〔<year of issue>〕第<NNNN>号``, one yearly sequence per prefix:
小作坊 豫义食坊登字, 小经营店 豫义食店登字, 小摊点 豫义摊点备字 — e.g. 豫义食坊登字〔2024〕第0001号.
The sequence has at least four digits; uniqueness is the column's unique constraint, and a
number taken by a concurrent approval is retried with the next one.

Validity: a registration runs three years and ends the day before the third anniversary of
its start (2024-03-01 → 2027-02-28); a leap-day start counts its anniversary as 1 March, so
2024-02-29 → 2027-02-28. A renewal starts the day after the old card ends when renewed in
time (no day is lost or counted twice), else on its own issue date. Filings (stalls) carry no
expiry unless FANGXIN_FILING_VALID_YEARS is set.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.clock import local_today
from app.core.scope import establishment_scope
from app.extensions import db
from app.models import Establishment, Photo, Registration, User
from app.photos import service as photo_service
from app.registry.establishments import update_establishment

KIND_BY_CATEGORY = {
    "small_workshop": "registration",
    "small_shop": "registration",
    "stall": "filing",
}
NUMBER_PREFIX = {
    "small_workshop": "豫义食坊登字",
    "small_shop": "豫义食店登字",
    "stall": "豫义摊点备字",
}
DETAIL_FIELDS = (
    "operator",
    "id_number",
    "contact_phone",
    "address",
    "business_licence_no",
    "health_certificates",
    "products",
    "safety_pledge",
    "process_flow",
    "area",
    "hours",
)
AMENDABLE = ("operator", "id_number", "contact_phone", "address", "products", "area", "hours")
AUDITED = ("kind", "number", "state", "applied_on", "issued_on", "valid_until", "cancelled_on")
VALID_YEARS = 3
EXPIRY_WARNING_DAYS = 30
FIRST_INSPECTION_MONTHS = 2
NUMBER_RETRIES = 5


class RegistrationError(ValueError):
    """A registration step the rules do not allow; the message says why (in Chinese)."""


def anniversary(start: date, years: int) -> date:
    """The date ``years`` after ``start``; 29 February falls on 1 March in common years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def valid_until_for(start: date, years: int = VALID_YEARS) -> date:
    """The last valid day of a card starting on ``start``: the day before the anniversary."""
    return anniversary(start, years) - timedelta(days=1)


def counts_at(day: date) -> ColumnElement[bool]:
    """The indicator rule: a row counts at ``day`` when issued, not expired and not cancelled."""
    return and_(
        Registration.issued_on.is_not(None),
        Registration.issued_on <= day,
        or_(Registration.valid_until.is_(None), Registration.valid_until >= day),
        or_(Registration.cancelled_on.is_(None), Registration.cancelled_on > day),
    )


def kind_for(est: Establishment) -> str:
    """registration (workshops, small shops) or filing (stalls); error for other categories."""
    if est.category not in KIND_BY_CATEGORY:
        raise RegistrationError(_("只有食品小作坊、小经营店和小摊点可以登记或备案。"))
    return KIND_BY_CATEGORY[est.category]


def current_registration(est: Establishment) -> Registration | None:
    """The live row (applied or issued), else the most recent one."""
    rows = history(est)
    live = [r for r in rows if r.state in ("applied", "issued")]
    return (live or rows or [None])[0]


def history(est: Establishment) -> list[Registration]:
    """Every registration row of an establishment, newest first."""
    return list(
        db.session.scalars(
            db.select(Registration)
            .where(Registration.establishment_id == est.id)
            .order_by(Registration.created_at.desc(), Registration.id.desc())
        )
    )


def apply(
    actor: User | None,
    est: Establishment,
    applied_on: date,
    details: dict,
    photos=(),
    config=None,
) -> Registration:
    """Record an application; one live application or card per establishment.

    photos: the applicant's papers (licence, ID, health certificates) as uploaded files;
    a refused one raises PhotoError after the flush, and the caller rolls back.
    """
    kind = kind_for(est)
    live = current_registration(est)
    if live is not None and live.state in ("applied", "issued"):
        raise RegistrationError(_("该单位已有在办申请或有效证卡，请办理延续、变更或注销。"))
    reg = Registration(
        establishment=est, kind=kind, state="applied", applied_on=applied_on, details=clean(details)
    )
    db.session.add(reg)
    db.session.flush()
    audit.record(
        actor,
        "apply",
        reg,
        audit.message("registration.apply", name=est.name),
        {"after": snapshot(reg)},
    )
    add_photos(actor, reg, photos, config)
    return reg


def add_photos(actor: User | None, reg: Registration, photos, config) -> list[Photo]:
    """Attach the applicant's papers to a registration row (PhotoError for a bad file)."""
    return photo_service.attach_uploads(
        actor, reg.establishment, photos, kind="registration", registration=reg, config=config
    )


def registration_photos(rows: list[Registration]) -> list[Photo]:
    """The papers attached to these registration rows (one establishment's history)."""
    stmt = db.select(Photo).where(
        Photo.registration_id.in_([r.id for r in rows]), Photo.kind == "registration"
    )
    return list(db.session.scalars(stmt.order_by(Photo.id)))


def clean(details: dict) -> dict:
    """Only the known detail fields, strings stripped."""
    out = {}
    for name in DETAIL_FIELDS:
        value = details.get(name, "")
        out[name] = value.strip() if isinstance(value, str) else value
    return out


def snapshot(reg: Registration) -> dict:
    """The audited fields of a registration row."""
    return audit.snapshot(reg, AUDITED)


def approve(actor: User | None, reg: Registration, issued_on: date) -> Registration:
    """Issue the card: number, issue date and (for registrations) validity."""
    if reg.state != "applied":
        raise RegistrationError(_("只有待审批的申请可以发证。"))
    if issued_on < reg.applied_on:
        raise RegistrationError(_("发证日期不能早于申请日期。"))
    issue(reg, issued_on, issued_on)
    audit.record(
        actor,
        "approve",
        reg,
        audit.message("registration.approve", number=reg.number),
        {"after": snapshot(reg)},
    )
    return reg


def issue(reg: Registration, issued_on: date, starts_on: date) -> None:
    """Set the dates and allocate a number."""
    reg.state = "issued"
    reg.issued_on = issued_on
    years = VALID_YEARS if reg.kind == "registration" else filing_years()
    reg.valid_until = valid_until_for(starts_on, years) if years else None
    allocate_number(reg)


def filing_years() -> int | None:
    """How long a filing (备案卡) runs; none by default."""
    from flask import current_app

    return current_app.config.get("FANGXIN_FILING_VALID_YEARS")


def next_number(category: str, year: int) -> str:
    """The next free number of a kind and year, from the highest one issued."""
    head = f"{NUMBER_PREFIX[category]}〔{year}〕第"
    last = db.session.scalar(
        db.select(Registration.number)
        .where(Registration.number.like(f"{head}%"))
        .order_by(func.length(Registration.number).desc(), Registration.number.desc())
        .limit(1)
    )
    seq = int(last[len(head) : -1]) + 1 if last else 1
    return f"{head}{seq:04d}号"


def allocate_number(reg: Registration) -> None:
    """Give the row a unique number, retrying when a concurrent approval took it."""
    category = reg.establishment.category
    db.session.flush()
    for _attempt in range(NUMBER_RETRIES):
        number = next_number(category, reg.issued_on.year)
        try:
            with db.session.begin_nested():
                reg.number = number
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise RegistrationError(_("编号分配冲突，请稍后重试。"))


def renew(actor: User | None, reg: Registration, issued_on: date) -> Registration:
    """Issue a new card replacing an issued one; the old row is kept as superseded."""
    if reg.state != "issued":
        raise RegistrationError(_("只有有效的证卡可以延续。"))
    starts_on = issued_on
    if reg.valid_until is not None and issued_on <= reg.valid_until:
        starts_on = reg.valid_until + timedelta(days=1)
    new = Registration(
        establishment=reg.establishment,
        kind=reg.kind,
        applied_on=issued_on,
        details=dict(reg.details),
        replaces_id=reg.id,
    )
    db.session.add(new)
    reg.state = "superseded"
    issue(new, issued_on, starts_on)
    message = audit.message("registration.renew", old=reg.number, new=new.number)
    audit.record(actor, "renew", new, message, {"after": snapshot(new)})
    audit.record(
        actor,
        "supersede",
        reg,
        audit.message("registration.supersede", number=new.number),
        {"state": ["issued", "superseded"]},
    )
    return new


def amend(actor: User | None, reg: Registration, changes: dict, reason: str) -> dict:
    """Change operator, address or products on a live card, keeping every earlier value."""
    if reg.state not in ("applied", "issued"):
        raise RegistrationError(_("已注销或已被延续的证卡不能变更。"))
    before = dict(reg.details)
    after = {**before, **{k: v.strip() for k, v in changes.items() if k in AMENDABLE}}
    changed = audit.diff(before, after)
    if not changed:
        return {}
    entry = {"on": local_today().isoformat(), "reason": reason, "changes": changed}
    after["amendments"] = [*before.get("amendments", []), entry]
    reg.details = after
    est_fields = {k: after[k] for k in ("operator", "address") if k in changed}
    if est_fields:
        update_establishment(actor, reg.establishment, **est_fields)
    audit.record(
        actor,
        "amend",
        reg,
        audit.message("registration.amend", number=reg.number or "", reason=reason),
        changed,
    )
    return changed


def cancel(actor: User | None, reg: Registration, cancelled_on: date, reason: str) -> None:
    """Cancel a card or withdraw an application; the row and its dates stay."""
    if reg.state not in ("applied", "issued"):
        raise RegistrationError(_("该证卡已注销或已被延续。"))
    if reg.issued_on and cancelled_on < reg.issued_on:
        raise RegistrationError(_("注销日期不能早于发证日期。"))
    before = snapshot(reg)
    reg.state, reg.cancelled_on = "cancelled", cancelled_on
    reg.details = {**reg.details, "cancel_reason": reason}
    audit.record(
        actor,
        "cancel",
        reg,
        audit.message("registration.cancel", number=reg.number or "", reason=reason),
        audit.diff(before, snapshot(reg)),
    )


def scoped(user: User):
    """Registrations joined to their establishment, limited to what the user may see."""
    return (
        db.select(Registration)
        .join(Establishment, Registration.establishment_id == Establishment.id)
        .where(establishment_scope(user))
    )
