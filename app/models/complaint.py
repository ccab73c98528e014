"""Complaints (投诉) and reports (举报) sent from the public page, and insiders' reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

COMPLAINT_STATES = ("open", "in_progress", "closed")
# 投诉: a consumer's own dispute; 举报: a report of a violation (市场监督管理投诉举报处理暂行办法).
COMPLAINT_KINDS = ("complaint", "report")
DECISIONS = ("accepted", "rejected")
REWARD_STATES = ("none", "reviewing", "paid", "refused")


class Complaint(db.Model):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(32), default="")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reply: Mapped[str] = mapped_column(Text, default="")
    # A keyed hash of the sender's address, only for rate limiting; the address is not kept.
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16), default="report")
    # The citizen's receipt: looks up status and public reply, nothing personal.
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    reporter_name: Mapped[str] = mapped_column(String(64), default="")
    decision: Mapped[str] = mapped_column(String(16), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_on: Mapped[date | None] = mapped_column(Date)
    notified_method: Mapped[str] = mapped_column(String(32), default="")
    public_reply: Mapped[str] = mapped_column(Text, default="")
    # 内部吹哨人: the identity is in reporter_identity, readable by admins only.
    insider: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reward_status: Mapped[str] = mapped_column(String(16), default="none")

    establishment: Mapped[Establishment] = relationship()
    assigned_to: Mapped[User | None] = relationship()


class ReporterIdentity(db.Model):
    """An insider's name, contact and relation to the business, kept apart from the report."""

    __tablename__ = "reporter_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    contact: Mapped[str] = mapped_column(String(64), default="")
    relation: Mapped[str] = mapped_column(String(100), default="")
