"""A whole inspection in one request: the JSON API and the phone's offline outbox.

Replay-safe by the client's UUID (a known one returns its inspection and creates nothing);
the offline rules (app.inspections.offline_rules) decide what a late submit still may do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_babel import gettext as _

from app.checklists import Programme
from app.core.clock import local_today
from app.extensions import db
from app.inspections import offline_rules, presence
from app.inspections.drafts import (
    new_inspection,
    programme_in_force,
    programme_of,
    programme_of_version,
    save_answers,
)
from app.inspections.submission import (
    SubmitRefused,
    UuidConflict,
    by_uuid,
    finish_and_commit,
    posted_problems,
)
from app.models import Establishment, Inspection, User
from app.photos import service as photo_service
from app.photos import uploads


def submit_data(
    actor: User,
    establishment: Establishment,
    code: str,
    client_uuid: str,
    answers: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, Any],
    people: Mapping[str, str],
    signature_key: str | None = None,
    verify_ids: Collection[int] = (),
    version: str | None = None,
    photo_uploads: Mapping[str, Collection[str]] | None = None,
    config: Mapping[str, Any] | None = None,
    fixes: Mapping[str, Any] | None = None,
) -> tuple[Inspection, bool, list[str]]:
    """Submit a whole inspection in one go (the JSON API); (inspection, created, notices).

    A known client UUID is a replay: its submitted inspection is returned and nothing is
    created; a draft with that UUID (from the HTML page or the offline client's photos) is
    filled and submitted. `version` is the checklist version the draft started with: it is
    kept when it is stored, even if another version is in force now (offline_rules).
    photo_uploads ({item id: [upload token]}) are finished resumable uploads, attached to
    their items in the same transaction (app.photos.uploads.attach, idempotent).
    notices are the plain Chinese sentences saying what the offline rules did. fixes is
    the phone's presence ({start, submit}, app.inspections.presence); bad ones are dropped.
    """
    existing = by_uuid(client_uuid)
    if existing is not None and (
        existing.inspector_id != actor.id or existing.establishment_id != establishment.id
    ):
        raise UuidConflict(client_uuid)
    if existing is not None and existing.status == "submitted":
        return existing, False, []
    programme, row, notices = _programme_for(existing, code, version, establishment)
    photo_uploads = _checked_uploads(actor, programme, photo_uploads or {})
    photos = photo_service.item_ids_with_photos(existing) if existing else set()
    photos |= set(photo_uploads)
    messages = posted_problems(programme, answers, fields, people, actor, photos, local_today())
    if messages:
        raise SubmitRefused(messages)
    notices += offline_rules.verified_elsewhere(establishment, verify_ids)
    notices += [n for n in [offline_rules.closed_notice(establishment)] if n]
    inspection = existing or new_inspection(
        actor, establishment, programme, client_uuid, version=row, status="submitted"
    )

    def fill():
        save_answers(inspection, answers, fields, people, signature_key)
        presence.record_all(inspection, fixes)
        db.session.flush()
        for item_id, tokens in photo_uploads.items():
            for token in tokens:
                uploads.attach(token, inspection, item_id, actor, config=config or {})

    try:
        result = finish_and_commit(actor, inspection, fill, verify_ids)
    except uploads.UploadError as err:
        db.session.rollback()
        raise SubmitRefused([err.message]) from None
    created = result is inspection and existing is None
    return result, created, notices if result is inspection else []


def _checked_uploads(actor: User, programme: Programme, wanted: Mapping) -> dict[str, list]:
    """The referenced uploads by item, each the actor's own (SubmitRefused otherwise)."""
    known = {item.id for item in programme.items}
    out: dict[str, list] = {}
    for item_id, tokens in wanted.items():
        if item_id not in known:
            raise SubmitRefused([_("照片所属检查项不存在：%(item)s", item=item_id)])
        try:
            out[item_id] = [uploads.owned(token, actor).token for token in tokens]
        except uploads.UploadError as err:
            raise SubmitRefused([err.message]) from None
    return out


def _programme_for(existing, code: str, version: str | None, establishment: Establishment):
    """(programme, stored version or None, notices) for a submit."""
    if existing is not None:
        programme, row = programme_of(existing), existing.checklist_version
    else:
        row = offline_rules.stored_version(code, version)
        programme = programme_of_version(row) if row else _applicable(code, establishment)
    if programme.code != code:
        raise SubmitRefused([_("检查项目与草稿不一致：%(code)s", code=code)])
    notice = offline_rules.version_notice(code, row) if row is not None else None
    return programme, row, [notice] if notice else []


def _applicable(code: str, establishment: Establishment) -> Programme:
    try:
        programme = programme_in_force(code)
    except KeyError:
        raise SubmitRefused([_("未知检查项目：%(code)s", code=code)]) from None
    if not programme.applies_to(establishment.category):
        raise SubmitRefused([_("检查项目“%(title)s”不适用于该单位类别", title=programme.title)])
    return programme
