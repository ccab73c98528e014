"""Checklist versions, inspections and their answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

OUTCOMES = ("compliant", "basic", "noncompliant")  # 符合 / 基本符合 / 不符合
RESULTS = ("pass", "fail", "na")
HANDLINGS = ("on_spot", "deadline", "investigate", "stop")
REVIEW_STATES = ("pending", "approved", "returned")  # labels: app.core.labels.REVIEW_STATE_LABELS
# 日常 / 双随机 / 专项 / 飞行 / 复查 / 投诉核查; labels: app.core.labels.INSPECTION_TYPE_LABELS
INSPECTION_TYPES = ("routine", "random", "special", "flying", "followup", "complaint")


class ChecklistVersion(db.Model):
    """One version of a plan programme, stored the first time an inspection uses it."""

    __tablename__ = "checklist_version"
    __table_args__ = (UniqueConstraint("programme", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Inspection(db.Model):
    __tablename__ = "inspection"
    __table_args__ = (
        Index("ix_inspection_rollup", "establishment_id", "programme", "status", "submitted_at"),
        # Covering indexes for the indicator roll-up (bench/rollup.py): the latest live
        # inspection of a programme, and the count of live visits in a 12-month window.
        Index(
            "ix_inspection_latest",
            "establishment_id",
            "programme",
            "status",
            "superseded",
            "submitted_at",
            "id",
        ),
        Index("ix_inspection_visits", "establishment_id", "status", "superseded", "submitted_at"),
        # One open draft per inspector, establishment and programme, even for two "start"
        # taps that arrive together (app.inspections.start_or_resume_draft).
        Index(
            "uq_inspection_one_draft",
            "inspector_id",
            "establishment_id",
            "programme",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    checklist_version_id: Mapped[int] = mapped_column(ForeignKey("checklist_version.id"))
    programme: Mapped[str] = mapped_column(String(32))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    second_inspector: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft / submitted
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Computed once at submit by app.scoring, kept as columns so indicators are plain SQL.
    outcome: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(16))
    five_goods_met: Mapped[bool | None] = mapped_column(Boolean)
    bright_kitchen_live: Mapped[bool | None] = mapped_column(Boolean)
    yushi_app_in_use: Mapped[bool | None] = mapped_column(Boolean)
    staff_count: Mapped[int | None] = mapped_column(Integer)
    staff_trained: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    operator_rep: Mapped[str] = mapped_column(String(100), default="")
    signature_key: Mapped[str | None] = mapped_column(String(128))
    inspection_type: Mapped[str] = mapped_column(
        String(16), default="routine", server_default="routine"
    )
    # The operator refused to sign (Art 34 of 总局令第49号): the reason and a witness instead.
    sign_refused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sign_refusal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    sign_witness: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # Amendments: a new row per revision; the old one is kept and marked superseded.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    amendment_reason: Mapped[str] = mapped_column(Text, default="")
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    # Review before publication (审核, app.publication.review): pending, approved or returned.
    review_state: Mapped[str] = mapped_column(
        String(16), default="pending", server_default="pending"
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # 一公开: when this revision was published; is_public marks the one revision of a result
    # the public sees (an amendment awaiting review leaves the published one shown), and
    # corrected_at when it replaced an earlier published revision (更正).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_public: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    establishment: Mapped[Establishment] = relationship()
    checklist_version: Mapped[ChecklistVersion] = relationship()
    inspector: Mapped[User] = relationship(foreign_keys=[inspector_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    amends: Mapped[Inspection | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Answer.id"
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    section: Mapped[str] = mapped_column(String(100), default="")
    item_text: Mapped[str] = mapped_column(Text, default="")
    key_item: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[str | None] = mapped_column(String(8))  # pass / fail / na
    note: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str | None] = mapped_column(String(16))
    due_date: Mapped[date | None] = mapped_column(Date)

    inspection: Mapped[Inspection] = relationship(back_populates="answers")
