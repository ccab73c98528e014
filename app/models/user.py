"""Users, their roles and the jurisdictions an inspector covers."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.jurisdiction import Jurisdiction
from app.models.types import UTCDateTime, utcnow

ROLES = ("admin", "inspector", "viewer")  # labels: app.core.labels.ROLE_LABELS

user_jurisdiction = Table(
    "user_jurisdiction",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("jurisdiction_id", ForeignKey("jurisdiction.id"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), default="")
    # 执法证号: printed beside the inspector's name on the result sheet.
    enforcement_certificate_no: Mapped[str] = mapped_column(
        String(32), default="", server_default=""
    )
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    # The lead department (app.indicators.catalogue.LEADS) a viewer writes summaries for.
    lead: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set for accounts made with a one-time password: the first sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    jurisdictions: Mapped[list[Jurisdiction]] = relationship(
        secondary=user_jurisdiction, order_by="Jurisdiction.code"
    )

    # The sign-in this object was loaded for, "<id>:<token>" (app.core.sessions); not a column.
    session_id = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id: the sign-in, so revoking it ends the session and remember cookie."""
        if not self.session_id:
            raise RuntimeError("open a sign-in with app.core.sessions.open_session first")
        return self.session_id

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
