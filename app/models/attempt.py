"""Visits that could not inspect: premises closed, inspection refused, operator gone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# 停业/关门 / 拒绝检查 / 已搬离/查无此户; labels: app.core.labels.ATTEMPT_REASON_LABELS
ATTEMPT_REASONS = ("closed", "refused", "moved")


class VisitAttempt(db.Model):
    """A visit that counts as an attempt (due list) but not as an inspection (indicators)."""

    __tablename__ = "visit_attempt"
    __table_args__ = (Index("ix_visit_attempt_est_at", "establishment_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    inspection_type: Mapped[str] = mapped_column(String(16), default="routine")
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    establishment: Mapped[Establishment] = relationship()
    inspector: Mapped[User] = relationship()
