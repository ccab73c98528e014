"""Amendments: a submitted inspection is never edited; a new revision with a reason is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from app.core import audit
from app.core.clock import local
from app.core.scope import can_edit, is_inspector
from app.extensions import db
from app.inspections import presence, record_form
from app.inspections.drafts import new_inspection, programme_of, save_answers
from app.inspections.submission import SubmitRefused, finish, posted_problems
from app.models import Inspection, User
from app.models.data_partition import rows_of
from app.models.types import utcnow
from app.photos import PhotoError, StorageFull
from app.photos import service as photo_service
from app.photos import uploads as upload_service

DEFAULT_AMEND_DAYS = 7


def _attach_new_photos(actor: User, revision: Inspection, files, uploads=None) -> None:
    """The photos posted with an amendment, or uploaded before it; one refused, all refused."""
    refused = _attach_uploads(actor, revision, uploads or {})
    if files:
        refused += photo_service.attach_form_files(
            actor, revision, files, config=current_app.config
        )
    if refused:
        db.session.rollback()
        raise SubmitRefused([*refused, _("修改未保存：请重新选择照片后再提交。")])


def _attach_uploads(actor: User, revision: Inspection, uploads: Mapping[str, list[str]]) -> list:
    """Attach finished resumable uploads ({item id: [token, …]}); the refusals' messages."""
    refused = []
    for item_id, tokens in uploads.items():
        for token in tokens:
            try:
                upload_service.attach(token, revision, item_id, actor, config=current_app.config)
            except (upload_service.UploadError, PhotoError, StorageFull) as err:
                item_text = photo_service.programme_item_text(revision, item_id)
                refused.append(f"【{item_text}】{err.message}")
    return refused


def amend_window() -> timedelta:
    """How long after submitting its inspector may amend an inspection."""
    return timedelta(days=current_app.config.get("FANGXIN_AMEND_DAYS") or DEFAULT_AMEND_DAYS)


def can_amend(user: User, inspection: Inspection) -> bool:
    """Admins may amend the current revision; its inspector within the window of submitting."""
    if inspection.status != "submitted" or inspection.superseded:
        return False
    if can_edit(user):
        return True
    if inspection.review_state == "returned" and user.id == inspection.inspector_id:
        return is_inspector(user)  # returned by the reviewer: amend whatever the window
    return (
        is_inspector(user)
        and user.id == inspection.inspector_id
        and utcnow() - inspection.submitted_at <= amend_window()
    )


def amend(
    actor: User,
    inspection: Inspection,
    reason: str,
    answers: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, Any],
    people: Mapping[str, str],
    files=None,
    uploads: Mapping[str, list[str]] | None = None,
) -> Inspection:
    """Store a new revision with a reason; the old one is kept and marked superseded.

    files: photos posted with the form (`photo-<item id>`), added to the new revision;
    uploads: finished resumable uploads for it, {item id: [upload token, …]} (uploads.js).
    """
    if not can_amend(actor, inspection):
        raise PermissionError("amendment not allowed")
    programme = programme_of(inspection)
    messages = [] if (reason or "").strip() else [_("【修改原因】未填写")]
    photos = photo_service.item_ids_with_photos(inspection)
    photos |= photo_service.items_with_form_files(files) if files else set()
    photos |= {item_id for item_id, tokens in (uploads or {}).items() if tokens}
    inspected_on = local(inspection.submitted_at).date()
    messages += posted_problems(
        programme, answers, fields, people, inspection.inspector, photos, inspected_on
    )
    if messages:
        raise SubmitRefused(messages)
    return _store_revision(
        actor, inspection, reason.strip(), answers, fields, people, (files, uploads)
    )


def _store_revision(actor, old: Inspection, reason, answers, fields, people, photos) -> Inspection:
    claimed = db.session.execute(
        update(Inspection)
        .where(Inspection.id == old.id, Inspection.superseded.is_(False))
        .values(superseded=True)
        .execution_options(**rows_of(old.establishment_id))
    )
    if claimed.rowcount != 1:  # someone amended it a moment ago
        db.session.rollback()
        raise SubmitRefused([_("该检查记录刚被他人修改，请刷新后查看最新版本")])
    new = new_inspection(
        old.inspector,
        old.establishment,
        programme_of(old),
        version=old.checklist_version,
        status="submitted",
    )
    new.revision, new.amends, new.amendment_reason = old.revision + 1, old, reason
    new.signature_key, new.latitude, new.longitude = old.signature_key, old.latitude, old.longitude
    record_form.apply(new, record_form.values_of(old))  # the amendment's form may change them
    save_answers(new, answers, fields, people)
    presence.copy(old, new)
    db.session.flush()
    photo_service.copy_item_photos(old, new)
    _attach_new_photos(actor, new, *photos)
    finish(actor, new, old.submitted_at)
    audit.record(
        actor,
        "amend",
        old,
        audit.message("inspection.amend", reason=reason),
        {"new_revision": new.revision},
    )
    db.session.commit()
    db.session.refresh(old)
    return new
