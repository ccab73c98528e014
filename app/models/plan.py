"""Inspection plans (双随机): the plan's scope and weights, its draws and the drawn visits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.inspection import Inspection
from app.models.jurisdiction import Jurisdiction
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# 年度计划 / 专项 / 飞行检查 (a one-unit plan behind a FlyingCheck, never offered on the plan form);
# labels: app.core.labels.PLAN_KIND_LABELS
PLAN_KINDS = ("annual", "special", "flying")
QUOTA_KINDS = ("percent", "count")  # a share of the eligible register, or a number of units
VISIT_STATES = ("open", "done", "could_not_inspect", "cancelled")
# Where a 飞行检查's clue comes from: a 投诉/举报, an insider's report (内部吹哨人), a failing
# sample, an overdue hazard-ledger entry, or none (started for a unit on its own).
CLUE_KINDS = ("complaint", "insider", "sample", "ledger", "unit")

plan_jurisdiction = Table(
    "plan_jurisdiction",
    db.metadata,
    Column("plan_id", ForeignKey("inspection_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("jurisdiction_id", ForeignKey("jurisdiction.id"), primary_key=True),
)
plan_inspector = Table(
    "plan_inspector",
    db.metadata,
    Column("plan_id", ForeignKey("inspection_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True),
)


class InspectionPlan(db.Model):
    """An annual or special (专项) plan: which units, how many, weighted how, by whom."""

    __tablename__ = "inspection_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="annual")
    lead_department: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    categories: Mapped[list] = mapped_column(JSON, default=list)
    quota_kind: Mapped[str] = mapped_column(String(16), default="percent")
    quota: Mapped[int] = mapped_column(Integer)
    # Relative weight per risk grade ("A".."D", "" for ungraded) and the factor for a bad record.
    risk_weights: Mapped[dict] = mapped_column(JSON, default=dict)
    bad_record_factor: Mapped[float] = mapped_column(Float, default=2.0)
    recuse_area_inspector: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    recuse_last_pair: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    jurisdictions: Mapped[list[Jurisdiction]] = relationship(
        secondary=plan_jurisdiction, order_by="Jurisdiction.code"
    )
    inspectors: Mapped[list[User]] = relationship(secondary=plan_inspector, order_by="User.id")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    draws: Mapped[list[PlanDraw]] = relationship(back_populates="plan", order_by="PlanDraw.number")
    flying: Mapped[FlyingCheck | None] = relationship(back_populates="plan", uselist=False)


class PlanDraw(db.Model):
    """One recorded draw: seed, method, the frozen eligible lists and the result (JSON)."""

    __tablename__ = "plan_draw"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 the first draw, 2.. redraws
    seed: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(64))
    target_count: Mapped[int] = mapped_column(Integer)
    # Frozen inputs: [{id, name, grade, bad_record, weight, jurisdiction_id}], inspectors
    # [{id, name, covers:[jurisdiction ids]}], conflicts [[user_id, est_id]], last pairs.
    eligible_establishments: Mapped[list] = mapped_column(JSON, default=list)
    eligible_inspectors: Mapped[list] = mapped_column(JSON, default=list)
    recusals: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[InspectionPlan] = relationship(back_populates="draws")
    drawn_by: Mapped[User | None] = relationship()
    visits: Mapped[list[PlanVisit]] = relationship(back_populates="draw", order_by="PlanVisit.id")


class PlanVisit(db.Model):
    """A drawn unit with its inspector pair and deadline; closed by the linked inspection."""

    __tablename__ = "plan_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("plan_draw.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    lead_inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    partner_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    draw: Mapped[PlanDraw] = relationship(back_populates="visits")
    plan: Mapped[InspectionPlan] = relationship()
    establishment: Mapped[Establishment] = relationship()
    lead_inspector: Mapped[User] = relationship(foreign_keys=[lead_inspector_id])
    partner: Mapped[User] = relationship(foreign_keys=[partner_id])
    inspection: Mapped[Inspection | None] = relationship()


class InspectorConflict(db.Model):
    """A declared conflict of interest (回避): this inspector is never drawn for this unit."""

    __tablename__ = "inspector_conflict"
    __table_args__ = (UniqueConstraint("user_id", "establishment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    establishment: Mapped[Establishment] = relationship()


class FlyingCheck(db.Model):
    """An unannounced 飞行检查 of one unit, started from a problem clue (总局令第49号 Arts 22, 46, 53).

    Its pair is drawn by the plan machinery: plan is a one-unit InspectionPlan of kind "flying"
    with the area recusal always on; the drawn PlanVisit carries the pair and the deadline.
    """

    __tablename__ = "flying_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plan.id"), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    clue_kind: Mapped[str] = mapped_column(String(16))
    clue_id: Mapped[int | None] = mapped_column(Integer, index=True)  # None for a unit's own
    reason: Mapped[str] = mapped_column(Text)
    # The start form's one-time token: a double click or a resent form starts nothing twice.
    request_token: Mapped[str] = mapped_column(String(64), unique=True)
    working_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[InspectionPlan] = relationship(back_populates="flying")
    establishment: Mapped[Establishment] = relationship()
    started_by: Mapped[User | None] = relationship()
