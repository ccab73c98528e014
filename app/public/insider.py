"""Insiders' reports (内部吹哨人, Art 24): the identity apart, read by admins, every read audited.

A report from inside a business is a 举报 with insider set; the reporter's name, contact
and relation to the business live in reporter_identity, never in the complaint row, the
queue or the audit log. Viewers and inspectors do not see these reports at all
(complaints.complaint_scope); an admin sees the identity only by asking, and each time
it is recorded on the report's history.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.scope import can_edit
from app.extensions import db
from app.models import Complaint, Establishment, User
from app.models.complaint import REWARD_STATES, ReporterIdentity
from app.public.complaint_rules import new_receipt_code
from app.public.complaints import check_limits, clean_text


def submit_insider(
    est: Establishment,
    text: str,
    name: str,
    contact: str,
    relation: str,
    sender_hash: str,
    per_sender_hour: int,
) -> Complaint:
    """Record an insider's report and, apart, who sent it; audited without the identity."""
    check_limits(sender_hash, per_sender_hour)
    complaint = Complaint(
        establishment_id=est.id,
        text=clean_text(text),
        kind="report",
        insider=True,
        sender_hash=sender_hash,
        receipt_code=new_receipt_code(),
    )
    db.session.add(complaint)
    db.session.flush()
    if name or contact or relation:
        identity = ReporterIdentity(
            complaint_id=complaint.id, name=name, contact=contact, relation=relation
        )
        db.session.add(identity)
    summary = audit.message("complaint.create_insider", name=est.name)
    audit.record(None, "create", complaint, summary, {"establishment_id": est.id})
    return complaint


def read_identity(actor: User, complaint: Complaint) -> ReporterIdentity | None:
    """The insider's identity for an admin (PermissionError otherwise); the read is audited."""
    if not (complaint.insider and can_edit(actor)):
        raise PermissionError("identity of an insider report is for admins only")
    identity = db.session.scalar(
        db.select(ReporterIdentity).where(ReporterIdentity.complaint_id == complaint.id)
    )
    audit.record(actor, "read_identity", complaint, audit.message("complaint.read_identity"))
    return identity


def set_reward(actor: User, complaint: Complaint, status: str) -> None:
    """The reward's state (未申请/审核中/已发放/不予奖励), admins only; audited."""
    if not (complaint.insider and can_edit(actor)):
        raise PermissionError("reward of an insider report is for admins only")
    if status not in REWARD_STATES:
        raise ValueError(str(_l("请选择奖励状态。")))
    before = complaint.reward_status
    complaint.reward_status = status
    summary = audit.message("complaint.reward", status=audit.coded("REWARD_LABELS", status))
    audit.record(actor, "reward", complaint, summary, {"reward_status": [before, status]})
