"""Visits that could not inspect (未能检查): premises closed, inspection refused, operator gone.

One rule, shown on the pages: an attempt counts as a visit made (the due list shows it) but
not as an inspection (indicators and the visit clock count only submitted inspections), so
the unit is due again at once. A refusal (拒绝检查) is also put before the office: it is
listed on the office's inspection register page of refused visits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.labels import ATTEMPT_REASON_LABELS, in_chinese
from app.extensions import db
from app.models import Establishment, Inspection, User, VisitAttempt
from app.models.attempt import ATTEMPT_REASONS
from app.models.inspection import INSPECTION_TYPES
from app.models.types import utcnow
from app.photos import service as photo_service
from app.photos.errors import PhotoError, StorageFull
from app.plans import visits as plan_visits

NOTE_MAX = 1000
PHONE_TIME_MAX_AGE = timedelta(days=30)  # an offline record older than this is stamped now


class AttemptRefused(ValueError):
    """The attempt cannot be recorded; .messages are shown to the inspector."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def problems(reason: str, note: str, inspection_type: str) -> list[str]:
    """Why an attempt cannot be recorded (empty when it can)."""
    messages = []
    if reason not in ATTEMPT_REASONS:
        messages.append(_("请选择未能检查的原因"))
    if inspection_type not in INSPECTION_TYPES:
        messages.append(_("【检查类型】无效：%(t)s", t=inspection_type))
    if len(note) > NOTE_MAX:
        messages.append(_("情况说明不超过 %(n)d 字", n=NOTE_MAX))
    return messages


def record_attempt(
    actor: User,
    establishment: Establishment,
    reason: str,
    note: str = "",
    inspection_type: str = "routine",
    photo=None,
    client_uuid: str | None = None,
    config: Mapping[str, Any] | None = None,
    attempted_at: datetime | None = None,
) -> VisitAttempt:
    """Record and commit a visit that could not inspect; a known client UUID is a replay.

    attempted_at: when the phone recorded it offline (kept if plausible, see attempt_time).
    """
    note = (note or "").strip()
    messages = problems(reason, note, inspection_type or "routine")
    if messages:
        raise AttemptRefused(messages)
    if client_uuid and (known := by_uuid(client_uuid)) is not None:
        return known
    attempt = VisitAttempt(
        client_uuid=client_uuid or str(uuid.uuid4()),
        establishment_id=establishment.id,
        inspector_id=actor.id,
        inspection_type=inspection_type or "routine",
        reason=reason,
        note=note,
        attempted_at=attempt_time(attempted_at, utcnow()),
    )
    db.session.add(attempt)
    try:
        if photo is not None and getattr(photo, "filename", ""):
            attempt.photo_id = _photo(actor, establishment, photo, config or {}).id
        db.session.flush()
        plan_visits.close_on_attempt(actor, establishment)
        audit.record(actor, "create", attempt, _summary(establishment, reason))
        db.session.commit()
    except (PhotoError, StorageFull) as err:
        db.session.rollback()
        raise AttemptRefused([err.message]) from None
    except IntegrityError:  # the same attempt sent twice at once
        db.session.rollback()
        return by_uuid(attempt.client_uuid)
    return attempt


def attempt_time(phone_time: datetime | None, now: datetime) -> datetime:
    """The phone's time of an offline record when plausible (past, under 30 days), else now."""
    if phone_time is None or not now - PHONE_TIME_MAX_AGE <= phone_time <= now:
        return now
    return phone_time


def _photo(actor, establishment, photo, config):
    return photo_service.attach_photo(
        actor, establishment, photo, kind="establishment", config=config
    )


def _summary(establishment: Establishment, reason: str) -> str:
    # A plain Chinese summary, as the office's records keep it.
    return f"未能检查 {establishment.name}：{in_chinese(ATTEMPT_REASON_LABELS[reason])}"


def by_uuid(client_uuid: str) -> VisitAttempt | None:
    """The attempt carrying this client UUID."""
    return db.session.scalar(db.select(VisitAttempt).where(VisitAttempt.client_uuid == client_uuid))


def attempts_of(establishment: Establishment, limit: int = 20) -> list[VisitAttempt]:
    """The establishment's latest attempts, newest first."""
    return list(
        db.session.scalars(
            db.select(VisitAttempt)
            .where(VisitAttempt.establishment_id == establishment.id)
            .order_by(VisitAttempt.attempted_at.desc(), VisitAttempt.id.desc())
            .limit(limit)
        )
    )


def attempts_since_last_inspection(scope) -> dict[int, tuple[datetime, str, int]]:
    """Per unit in scope: (latest attempt, its reason, attempts) after its last inspection."""
    last = (
        db.select(func.max(Inspection.submitted_at))
        .where(
            Inspection.establishment_id == VisitAttempt.establishment_id,
            Inspection.status == "submitted",
            Inspection.superseded.is_(False),
        )
        .correlate(VisitAttempt)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(VisitAttempt.establishment_id, VisitAttempt.attempted_at, VisitAttempt.reason)
        .join(Establishment, VisitAttempt.establishment_id == Establishment.id)
        .where(scope, (last.is_(None)) | (VisitAttempt.attempted_at > last))
        .order_by(VisitAttempt.attempted_at, VisitAttempt.id)
    )
    out: dict[int, tuple[datetime, str, int]] = {}
    for est_id, at, reason in rows:
        count = out[est_id][2] + 1 if est_id in out else 1
        out[est_id] = (at, reason, count)
    return out


def refused_attempts(scope, limit: int = 50) -> list[VisitAttempt]:
    """Refusals (拒绝检查) in scope not followed by an inspection: for the office to act on."""
    later = (
        db.select(Inspection.id)
        .where(
            Inspection.establishment_id == VisitAttempt.establishment_id,
            Inspection.status == "submitted",
            Inspection.submitted_at > VisitAttempt.attempted_at,
        )
        .correlate(VisitAttempt)
        .exists()
    )
    return list(
        db.session.scalars(
            db.select(VisitAttempt)
            .join(Establishment, VisitAttempt.establishment_id == Establishment.id)
            .where(scope, VisitAttempt.reason == "refused", ~later)
            .order_by(VisitAttempt.attempted_at.desc())
            .limit(limit)
        )
    )
