"""Establishments: every shop, canteen, market and caterer the campaign covers."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.jurisdiction import Jurisdiction
from app.models.types import UTCDateTime, utcnow

CATEGORIES = {
    "rural_shop": _l("农村食品经营店"),
    "supermarket": _l("超市"),
    "school_canteen": _l("学校食堂"),
    "farm_market": _l("农贸市场"),
    "small_workshop": _l("食品小作坊"),
    "small_shop": _l("小经营店"),
    "stall": _l("小摊点"),
    "restaurant_large": _l("大型餐馆"),
    "restaurant_medium": _l("中型餐馆"),
    "restaurant_small": _l("小型餐馆"),
    "central_kitchen": _l("中央厨房"),
    "group_meal": _l("集体用餐配送单位"),
    "online_caterer": _l("网络餐饮服务单位"),
    "health_food_seller": _l("保健食品经营者"),
    "import_food_seller": _l("进口食品经营者"),
    "grain_enterprise": _l("粮食企业"),
    "health_centre": _l("社区卫生服务中心"),
}
SCHOOL_TYPES = {
    "kindergarten": _l("幼儿园"),
    "primary": _l("小学"),
    "secondary": _l("中学"),
    "vocational": _l("职业学校"),
}
# Plan target 6: large restaurants, central kitchens and group-meal suppliers.
KEY_CATERER_CATEGORIES = ("restaurant_large", "central_kitchen", "group_meal")
CATERING_CATEGORIES = (
    "restaurant_large",
    "restaurant_medium",
    "restaurant_small",
    "central_kitchen",
    "group_meal",
    "online_caterer",
)
# Plan task 八: the "three small" under the Henan regulation.
THREE_SMALL_CATEGORIES = ("small_workshop", "small_shop", "stall")
RISK_GRADES = ("A", "B", "C", "D")


def trigram_index(column: str) -> Index:
    """A pg_trgm GIN index for ILIKE '%…%' on a column, PostgreSQL only (migration 0010)."""
    index = Index(
        f"ix_establishment_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
    )
    return index.ddl_if(dialect="postgresql")


class Establishment(db.Model):
    __tablename__ = "establishment"
    # The registry search matches part of a name, address or licence number.
    __table_args__ = tuple(trigram_index(c) for c in ("name", "address", "licence_no"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    school_type: Mapped[str | None] = mapped_column(String(16))
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    licence_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    operator: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    permit_issued_on: Mapped[date | None] = mapped_column(Date)
    # The 有效期至 printed on a food business licence (食品经营许可证).
    licence_valid_until: Mapped[date | None] = mapped_column(Date)
    # Plan target 1: community health centres registered as surveillance sites.
    surveillance_site: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_grade: Mapped[str | None] = mapped_column(String(1))
    risk_assessed_on: Mapped[date | None] = mapped_column(Date)
    qr_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    jurisdiction: Mapped[Jurisdiction] = relationship()

    @property
    def category_label(self) -> str:
        """The category in the user's language."""
        return str(CATEGORIES.get(self.category, self.category))

    @property
    def is_key_caterer(self) -> bool:
        """Large restaurant, central kitchen or group-meal supplier (plan target 6)."""
        return self.category in KEY_CATERER_CATEGORIES

    def __repr__(self) -> str:
        return f"<Establishment {self.id} {self.name}>"
