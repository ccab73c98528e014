"""Registrations and filings of the "three small", and village coordinators."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.jurisdiction import Jurisdiction
from app.models.types import UTCDateTime, utcnow

REGISTRATION_KINDS = ("registration", "filing")  # 登记证 / 备案卡
REGISTRATION_STATES = ("applied", "issued", "cancelled", "superseded")


class Registration(db.Model):
    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="applied", index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    establishment: Mapped[Establishment] = relationship()


class Coordinator(db.Model):
    """A village food-safety coordinator (协管员)."""

    __tablename__ = "coordinator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), default="")
    village_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)

    village: Mapped[Jurisdiction] = relationship()
