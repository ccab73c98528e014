"""Street offices and the development zone, and the communities and villages under them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

JURISDICTION_KINDS = {
    "street": _l("街道办事处"),
    "zone": _l("开发区"),
    "community": _l("社区"),
    "village": _l("村"),
}
TOP_KINDS = ("street", "zone")


class Jurisdiction(db.Model):
    __tablename__ = "jurisdiction"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # None for units that existed before the app kept dates: counted in every period.
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    parent: Mapped[Jurisdiction | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Jurisdiction]] = relationship(
        back_populates="parent", order_by="Jurisdiction.code"
    )

    @property
    def full_name(self) -> str:
        """Street office and community, e.g. 新区街道 · 新华社区."""
        return f"{self.parent.name} · {self.name}" if self.parent else self.name

    @property
    def top(self) -> Jurisdiction:
        """The street office or zone this unit belongs to."""
        return self.parent.top if self.parent else self

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.code} {self.name}>"
