"""Samples and rapid tests (抽检/快检) at markets and shops, and what was done with a failing batch."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.establishment import Establishment
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# labels: app.core.labels.TEST_ITEM_LABELS; PRODUCE_TEST_ITEMS count in the produce pass rate
TEST_ITEMS = (
    "pesticide",  # 农药残留（有机磷和氨基甲酸酯类）
    "vet_drug",  # 兽药残留
    "clenbuterol",  # 瘦肉精（克伦特罗、莱克多巴胺、沙丁胺醇）
    "formaldehyde",  # 甲醛
    "sulfur_dioxide",  # 二氧化硫
    "malachite_green",  # 孔雀石绿
    "other",
)
PRODUCE_TEST_ITEMS = ("pesticide", "vet_drug", "clenbuterol", "malachite_green")
SAMPLE_METHODS = ("rapid", "lab")  # 快检 / 实验室检测; labels: SAMPLE_METHOD_LABELS
SAMPLE_RESULTS = ("pass", "fail")
# what was done with a failing batch: 下架 / 销毁 / 溯源; labels: BATCH_ACTION_LABELS
BATCH_ACTIONS = ("off_sale", "destroyed", "traced")
# Where produce is sold and tested: markets first, and the shops that sell produce.
SAMPLED_CATEGORIES = ("farm_market", "supermarket", "rural_shop", "small_shop")


class Sample(db.Model):
    """One sample tested: where, what, how, the result, and the failing batch's handling."""

    __tablename__ = "sample"
    __table_args__ = (Index("ix_sample_est_tested_on", "establishment_id", "tested_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    stall: Mapped[str] = mapped_column(String(64), default="")
    product: Mapped[str] = mapped_column(String(64))
    test_item: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(8), default="rapid")
    result: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16), default="")
    tested_on: Mapped[date] = mapped_column(Date, index=True)  # the local (Asia/Shanghai) day
    tested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The market's own tester (检测员), when not the user who entered the row.
    tester_name: Mapped[str] = mapped_column(String(32), default="")
    has_certificate: Mapped[bool | None] = mapped_column(Boolean)  # 承诺达标合格证
    certificate_no: Mapped[str] = mapped_column(String(64), default="")
    batch_actions: Mapped[str] = mapped_column(String(64), default="")  # codes, space-separated
    action_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    establishment: Mapped[Establishment] = relationship()
    recorded_by: Mapped[User] = relationship()

    @property
    def action_codes(self) -> list[str]:
        """The failing batch's handling as a list of BATCH_ACTIONS codes."""
        return self.batch_actions.split()
