"""The office's steps the rules ask for: accept or not, extend once, tell the reporter, reply.

Also the citizen's receipt code: random, unguessable, without letters that read alike.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.clock import local_date, local_today
from app.extensions import db
from app.models import Complaint, User
from app.models.types import utcnow
from app.public.complaint_clock import can_extend

# No 0/O, 1/I/L: a code read out over the phone or copied by hand stays right.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10
REASON_MAX = 1000
METHOD_MAX = 32
_RECEIPT_JUNK = re.compile(r"[\s\-－—_·.。]+")
AUDITED = (
    "state",
    "decision",
    "decision_reason",
    "extension_reason",
    "notified_on",
    "notified_method",
    "public_reply",
)


class RuleError(ValueError):
    """An office step refused; the message (Chinese) says why."""


def new_receipt_code() -> str:
    """A fresh receipt code (31^10, about 8e14 codes), unused so far."""
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
        if db.session.scalar(db.select(Complaint.id).where(Complaint.receipt_code == code)) is None:
            return code


def normalise_receipt(text: str) -> str:
    """A typed receipt code, upper case, without spaces or dashes."""
    return _RECEIPT_JUNK.sub("", (text or "").upper())


def by_receipt(text: str) -> Complaint | None:
    """The complaint of a receipt code, or None (insiders' reports included)."""
    code = normalise_receipt(text)
    if len(code) != RECEIPT_LENGTH or set(code) - set(RECEIPT_ALPHABET):
        return None
    return db.session.scalar(db.select(Complaint).where(Complaint.receipt_code == code))


def format_receipt(code: str | None) -> str:
    """A receipt code in two groups of five, easier to read."""
    return f"{code[:5]}-{code[5:]}" if code else ""


def _step(actor: User, c: Complaint, action: str, summary, change) -> None:
    before = audit.snapshot(c, AUDITED)
    change()
    audit.record(actor, action, c, summary, audit.diff(before, audit.snapshot(c, AUDITED)))


def _reason(text: str, what) -> str:
    text = (text or "").strip()
    if not text:
        raise RuleError(str(_l("请填写%(what)s。", what=what)))
    if len(text) > REASON_MAX:
        raise RuleError(str(_l("%(what)s不能超过 %(n)d 字。", what=what, n=REASON_MAX)))
    return text


def decide(actor: User, c: Complaint, accepted: bool, reason: str = "") -> None:
    """受理 or 不予受理 (with a reason); a refusal ends the complaint."""
    if c.decision:
        raise RuleError(str(_l("已作出受理决定，不能重复决定。")))
    if c.state == "closed":
        raise RuleError(str(_l("已办结，不能再作受理决定。")))
    reason = (reason or "").strip() if accepted else _reason(reason, _l("不予受理的理由"))
    if len(reason) > REASON_MAX:
        raise RuleError(str(_l("%(what)s不能超过 %(n)d 字。", what=_l("说明"), n=REASON_MAX)))

    def change():
        c.decision, c.decision_reason, c.decided_at = (
            "accepted" if accepted else "rejected",
            reason,
            utcnow(),
        )
        if not accepted:
            c.state, c.closed_at = "closed", c.decided_at
        elif c.state == "open":
            c.state = "in_progress"

    key = "complaint.accept" if accepted else "complaint.reject"
    _step(actor, c, "accept" if accepted else "reject", audit.message(key), change)


def extend(actor: User, c: Complaint, reason: str) -> None:
    """The one-time extension by 15 working days, with its reason."""
    if not can_extend(c):
        raise RuleError(str(_l("此件不能延长期限（只能延长一次，且须在办理期间）。")))
    reason = _reason(reason, _l("延长理由"))

    def change():
        c.extension_reason, c.extended_at = reason, utcnow()

    _step(actor, c, "extend", audit.message("complaint.extend"), change)


def record_notice(actor: User, c: Complaint, on: date | None, method: str) -> None:
    """已告知: the day and the way the reporter was told the decision."""
    method = (method or "").strip()
    if not c.decision:
        raise RuleError(str(_l("尚未作出受理决定，无需告知。")))
    if on is None or not method:
        raise RuleError(str(_l("请填写告知日期和告知方式。")))
    if len(method) > METHOD_MAX:
        raise RuleError(str(_l("告知方式不能超过 %(n)d 字。", n=METHOD_MAX)))
    if on < local_date(c.decided_at) or on > local_today():
        raise RuleError(str(_l("告知日期应在决定之日和今天之间。")))

    def change():
        c.notified_on, c.notified_method = on, method

    _step(actor, c, "notify", audit.message("complaint.notify", method=method), change)


def save_public_reply(actor: User, c: Complaint, text: str) -> None:
    """The reply the citizen sees with the receipt code."""
    text = (text or "").strip()
    if len(text) > REASON_MAX:
        raise RuleError(str(_l("%(what)s不能超过 %(n)d 字。", what=_l("公开答复"), n=REASON_MAX)))

    def change():
        c.public_reply = text

    _step(actor, c, "public_reply", audit.message("complaint.public_reply"), change)
