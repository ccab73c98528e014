"""Complaints (举报): taking them from the public page, and the office's queue and workflow."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, or_, true

from app.core import audit
from app.core.scope import (
    COMPLAINT_HANDLERS,
    INSPECTOR,
    can_edit,
    covered_jurisdiction_ids,
    is_office,
)
from app.extensions import db
from app.models import Complaint, Establishment, Photo, User
from app.models.complaint import COMPLAINT_KINDS, COMPLAINT_STATES
from app.models.types import utcnow
from app.photos import StorageFull
from app.photos import service as photo_service
from app.public.complaint_rules import new_receipt_code
from app.registry.establishments import establishment_matches, unit_and_below

TEXT_MAX = 1000
NEXT_STATE = {"open": "in_progress", "in_progress": "closed"}
AUDITED = ("state", "assigned_to_id", "reply")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]+")
MOBILE_RE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# Area codes 010 and 02x have three digits, all others (03xx-09xx) four.
LANDLINE_RE = re.compile(r"(0[12]\d|0[3-9]\d\d)([2-9]\d{6,7})")


class ComplaintLimited(Exception):
    """Too many complaints from one sender; the message says so."""


def clean_text(text: str) -> str:
    """A complaint's text with browser line breaks (CRLF, CR) as one LF each, trimmed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class PhotoNotKept(Exception):
    """The complaint is recorded (flushed) but its photo found no room; `message` says so."""

    def __init__(self, complaint: Complaint, message: str) -> None:
        super().__init__(message)
        self.complaint = complaint
        self.message = message


def normalise_phone(text: str) -> str | None:
    """A Chinese mobile (11 digits) or landline (0area-number) in canonical form, else None."""
    raw = _PHONE_SEPARATORS.sub("", text or "")
    if match := MOBILE_RE.fullmatch(raw):
        return match.group(1)
    if match := LANDLINE_RE.fullmatch(raw):
        return f"{match.group(1)}-{match.group(2)}"
    return None


def check_limits(sender_hash: str, per_sender_hour: int) -> None:
    """Raise ComplaintLimited when the sender is over its hourly limit.

    There is no limit per establishment: a flood from a few addresses must not lock out a
    real complaint from the next one. The office sees repeats folded together instead
    (app.public.clusters).
    """
    by_sender = db.session.scalar(
        db.select(func.count(Complaint.id)).where(
            Complaint.sender_hash == sender_hash,
            Complaint.created_at >= utcnow() - timedelta(hours=1),
        )
    )
    if by_sender >= per_sender_hour:
        raise ComplaintLimited(
            _l(
                "您在一小时内已提交 %(n)d 条举报，请稍后再试。如情况紧急，请拨打 12315。",
                n=per_sender_hour,
            )
        )


def submit_complaint(
    est: Establishment,
    text: str,
    phone: str,
    sender_hash: str,
    per_sender_hour: int,
    photo=None,
    config: Mapping[str, Any] | None = None,
    kind: str = "report",
    reporter_name: str = "",
) -> Complaint:
    """Record a public complaint after checking the sender's limit (ComplaintLimited); audited.

    An optional photo goes through the photo pipeline; a bad one raises PhotoError
    after the complaint was flushed, so the caller rolls back and nothing is kept. With
    the photo store full the complaint still counts: PhotoNotKept carries it, flushed
    without its photo, for the caller to commit and say so.
    """
    check_limits(sender_hash, per_sender_hour)
    complaint = Complaint(
        establishment_id=est.id,
        text=clean_text(text),
        phone=phone,
        sender_hash=sender_hash,
        kind=kind if kind in COMPLAINT_KINDS else "report",
        reporter_name=reporter_name.strip(),
        receipt_code=new_receipt_code(),
    )
    db.session.add(complaint)
    db.session.flush()
    audit.record(
        None,
        "create",
        complaint,
        audit.message("complaint.create", name=est.name),
        {"establishment_id": est.id},
    )
    if photo is not None:
        try:
            photo_service.attach_photo(
                None, est, photo, kind="complaint", complaint=complaint, config=config or {}
            )
        except StorageFull as err:  # nothing of the photo was flushed: store_photo comes first
            raise PhotoNotKept(complaint, err.message) from err
    return complaint


def complaint_photos(complaint: Complaint) -> list[Photo]:
    """The photos sent with a complaint, in upload order (office eyes only)."""
    stmt = db.select(Photo).where(Photo.complaint_id == complaint.id, Photo.kind == "complaint")
    return list(db.session.scalars(stmt.order_by(Photo.id)))


def complaint_scope(user: User) -> ColumnElement[bool]:
    """Complaints a user may see: all for admins; viewers all but insiders' reports;
    an inspector's own or their area's, never an insider's report."""
    if can_edit(user):
        return true()
    if is_office(user):
        return Complaint.insider.is_(False)
    area = db.select(Establishment.id).where(
        Establishment.jurisdiction_id.in_(covered_jurisdiction_ids(user))
    )
    mine = or_(Complaint.assigned_to_id == user.id, Complaint.establishment_id.in_(area))
    return and_(Complaint.insider.is_(False), mine)


def can_handle(user: User, complaint: Complaint) -> bool:
    """Admins handle any complaint; inspectors those they can see (scope is checked first)."""
    return user.role in COMPLAINT_HANDLERS and complaint.state != "closed"


def search_complaints(
    user: User, state: str = "", jurisdiction_id: int | None = None, q: str = "", kind: str = ""
) -> Select:
    """The queue a user sees, filtered, newest first."""
    stmt = (
        db.select(Complaint)
        .join(Establishment, Complaint.establishment_id == Establishment.id)
        .where(complaint_scope(user))
    )
    if state in COMPLAINT_STATES:
        stmt = stmt.where(Complaint.state == state)
    if kind in COMPLAINT_KINDS:
        stmt = stmt.where(Complaint.kind == kind)
    elif kind == "insider":
        stmt = stmt.where(Complaint.insider.is_(True))
    if jurisdiction_id:
        stmt = stmt.where(Establishment.jurisdiction_id.in_(unit_and_below(jurisdiction_id)))
    if q:
        stmt = stmt.where(or_(*establishment_matches(q)))
    return stmt.order_by(Complaint.created_at.desc(), Complaint.id.desc())


def visible_complaint(user: User, complaint_id: int) -> Complaint | None:
    """The complaint if the user may see it."""
    return db.session.scalar(
        db.select(Complaint).where(Complaint.id == complaint_id, complaint_scope(user))
    )


def _audited(actor: User, complaint: Complaint, action: str, summary, change) -> None:
    before = audit.snapshot(complaint, AUDITED)
    change()
    audit.record(
        actor, action, complaint, summary, audit.diff(before, audit.snapshot(complaint, AUDITED))
    )


def assign(actor: User, complaint: Complaint, inspector: User) -> None:
    """Assign to an inspector; an open complaint moves to in progress."""

    def change():
        complaint.assigned_to_id = inspector.id
        if complaint.state == "open":
            complaint.state = "in_progress"

    _audited(
        actor,
        complaint,
        "assign",
        audit.message("complaint.assign", inspector=inspector.display_name),
        change,
    )


def save_reply(actor: User, complaint: Complaint, reply: str) -> None:
    """Record the handling note (reply) without changing the state."""

    def change():
        complaint.reply = reply.strip()

    _audited(actor, complaint, "reply", audit.message("complaint.reply"), change)


def advance(actor: User, complaint: Complaint, reply: str = "") -> str:
    """Move open → in_progress or in_progress → closed (a close needs a reply); new state."""
    target = NEXT_STATE[complaint.state]
    if target == "closed" and complaint.kind == "complaint" and complaint.decision != "accepted":
        raise ValueError(str(_l("投诉须先作出受理决定，才能办结。")))
    if target == "closed" and not (reply.strip() or complaint.reply):
        raise ValueError(str(_l("办结前请填写处理意见。")))

    def change():
        if reply.strip():
            complaint.reply = reply.strip()
        complaint.state = target
        if target == "closed":
            complaint.closed_at = utcnow()

    summary = audit.message("complaint.close" if target == "closed" else "complaint.start")
    _audited(actor, complaint, "close" if target == "closed" else "start", summary, change)
    return target


def assignable_inspectors() -> list[User]:
    """Active inspectors, by name, for the assign menu."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.role.in_(INSPECTOR), User.active.is_(True))
            .order_by(User.display_name)
        )
    )
