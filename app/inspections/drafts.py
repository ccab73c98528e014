"""Inspection drafts: the programme in force, its stored version, and saving answers.

Knows nothing of requests. Submitting and amendments live in app.inspections.submission,
the whole inspection in one request (API, offline outbox) in app.inspections.whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.checklists import Programme, get_programme, programme_from_snapshot
from app.checklists.model import content_of, freeze, thaw, version_of
from app.core import audit
from app.extensions import db
from app.inspections import record_form
from app.inspections.answers import coerce_fields, parse_due_date
from app.models import Answer, ChecklistVersion, Establishment, Inspection, User
from app.models.inspection import HANDLINGS, RESULTS
from app.models.types import utcnow
from app.plans import visits as plan_visits

PEOPLE = ("second_inspector", "operator_rep")
NAME_MAX = 100


def programme_in_force(code: str) -> Programme:
    """The shipped programme with the app's configured overrides (KeyError when unknown)."""
    limit = current_app.config.get("FANGXIN_MAX_GENERAL_FAILURES")
    return _with_limit(get_programme(code), limit)


@lru_cache(maxsize=64)
def _with_limit(programme: Programme, limit: int | None) -> Programme:
    # An override changes the content, so it gets its own version: history stays exact.
    if limit is None or programme.param("max_general_failures") == limit:
        return programme
    params = freeze({**thaw(programme.params), "max_general_failures": limit})
    changed = dataclasses.replace(programme, params=params)
    object.__setattr__(changed, "version", version_of(content_of(changed)))
    return changed


def programme_of(inspection: Inspection) -> Programme:
    """The programme exactly as the inspection's stored version had it."""
    return programme_of_version(inspection.checklist_version)


def programme_of_version(version: ChecklistVersion) -> Programme:
    """The programme exactly as a stored checklist version has it."""
    return _from_snapshot(version.id, version.version, version.programme, version.content)


def _from_snapshot(version_id: int, version: str, code: str, content: dict) -> Programme:
    key = (version_id, version, code)
    cached = _SNAPSHOTS.get(key)
    if cached is None:
        cached = _SNAPSHOTS[key] = programme_from_snapshot(content)
    return cached


_SNAPSHOTS: dict[tuple, Programme] = {}


def ensure_version(programme: Programme) -> ChecklistVersion:
    """The stored ChecklistVersion of a programme, created (and committed) on first use.

    Two workers may create it at once: the loser's insert hits the unique constraint,
    rolls back and reads the winner's row. Call it before changing anything else.
    """
    found = _find_version(programme)
    if found is not None:
        return found
    row = ChecklistVersion(
        programme=programme.code,
        version=programme.version,
        title=programme.title,
        content=programme.snapshot(),
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _find_version(programme)
    return row


def _find_version(programme: Programme) -> ChecklistVersion | None:
    return db.session.scalar(
        db.select(ChecklistVersion).where(
            ChecklistVersion.programme == programme.code,
            ChecklistVersion.version == programme.version,
        )
    )


def find_draft(user: User, establishment: Establishment, code: str) -> Inspection | None:
    """The user's open draft of this programme at this establishment, if any."""
    return db.session.scalar(
        db.select(Inspection)
        .where(
            Inspection.establishment_id == establishment.id,
            Inspection.inspector_id == user.id,
            Inspection.programme == code,
            Inspection.status == "draft",
        )
        .order_by(Inspection.id.desc())
    )


def drafts_of(user: User, establishment: Establishment) -> dict[str, Inspection]:
    """The user's open drafts at an establishment, by programme code."""
    rows = db.session.scalars(
        db.select(Inspection).where(
            Inspection.establishment_id == establishment.id,
            Inspection.inspector_id == user.id,
            Inspection.status == "draft",
        )
    )
    return {row.programme: row for row in rows}


def new_inspection(
    user: User,
    establishment: Establishment,
    programme: Programme,
    client_uuid: str | None = None,
    version: ChecklistVersion | None = None,
    status: str = "draft",
) -> Inspection:
    """A row for a programme (its version stored first), added to the session.

    A row submitted in the same transaction is never a draft, so it cannot collide with
    the inspector's open draft (one per establishment and programme).
    """
    version = version or ensure_version(programme)
    inspection = Inspection(
        client_uuid=client_uuid or str(uuid.uuid4()),
        establishment=establishment,
        checklist_version=version,
        programme=programme.code,
        inspector=user,
        status=status,
        fields={},
    )
    db.session.add(inspection)
    return inspection


def start_or_resume_draft(
    user: User, establishment: Establishment, code: str, inspection_type: str | None = None
) -> Inspection:
    """The user's draft for this establishment and programme, started if there is none.

    inspection_type (one of INSPECTION_TYPES) is the one chosen on the start button; a
    resumed draft takes it too, an unknown one is ignored.

    Raises KeyError for an unknown programme and ValueError when it does not apply
    to the establishment's category.
    """
    programme = programme_in_force(code)
    if not programme.applies_to(establishment.category):
        raise ValueError(f"programme {code} does not apply to {establishment.category}")
    draft = find_draft(user, establishment, code)
    if draft is not None:
        record_form.apply(draft, {"inspection_type": inspection_type or draft.inspection_type})
        return draft
    try:
        draft = new_inspection(user, establishment, programme)
        record_form.apply(draft, {"inspection_type": inspection_type or "routine"})
        preset_plan_visit(draft, user, establishment)
        db.session.flush()
    except IntegrityError:  # a second tap started the same draft a moment ago: resume it
        db.session.rollback()
        return _twin_draft(user, establishment, code)
    title = audit.bilingual(programme.title, programme.title_en)
    message = audit.message("inspection.start", name=establishment.name, programme=title)
    audit.record(user, "create", draft, message)
    return draft


def preset_plan_visit(draft: Inspection, user: User, establishment: Establishment) -> None:
    """A drawn visit (双随机) names the drawn partner as second inspector on a new draft."""
    visit = plan_visits.open_visit_at(user, establishment)
    if visit is not None and not draft.second_inspector:
        draft.second_inspector = plan_visits.partner_of(visit, user).display_name


def _twin_draft(user: User, establishment: Establishment, code: str) -> Inspection:
    draft = find_draft(user, establishment, code)
    if draft is None:
        raise RuntimeError("draft refused as a duplicate, but no draft found")
    return draft


def clean_answer(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One answer reduced to known values; a bad due date is kept as given for the message."""
    result = raw.get("result") or None
    handling = raw.get("handling") or None
    due = raw.get("due_date") or None
    with contextlib.suppress(TypeError, ValueError):
        due = parse_due_date(due)
    return {
        "result": result if result in RESULTS else None,
        "note": str(raw.get("note") or "").strip(),
        "handling": handling if handling in HANDLINGS else None,
        "due_date": due,
    }


def save_answers(
    inspection: Inspection,
    answers: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, Any] | None = None,
    people: Mapping[str, str] | None = None,
    signature_key: str | None = None,
) -> None:
    """Store what has been answered so far (partial is fine); unknown items are ignored."""
    # Not the status: a row submitted in this same transaction is created as submitted.
    if inspection.submitted_at is not None:
        raise ValueError("a submitted inspection cannot be edited")
    programme = programme_of(inspection)
    rows = {a.item_id: a for a in inspection.answers}
    for item in programme.items:
        if item.id in answers:
            store_answer(inspection, rows, programme, item.id, clean_answer(answers[item.id]))
    if fields is not None:
        given = {k: v for k, v in coerce_fields(programme, fields).items() if k in fields}
        inspection.fields = {**(inspection.fields or {}), **given}
    for name in PEOPLE:
        if people and name in people:
            setattr(inspection, name, str(people[name] or "").strip()[:NAME_MAX])
    record_form.apply(inspection, people or {})
    if signature_key:
        inspection.signature_key = signature_key
    inspection.updated_at = utcnow()  # answers alone would not touch the inspection row


def store_answer(inspection, rows: dict, programme: Programme, item_id: str, value: dict) -> None:
    """Create or update one Answer row, copying the item's text, section and key flag."""
    row = rows.get(item_id)
    if row is None:
        row = rows[item_id] = Answer(item_id=item_id)
        inspection.answers.append(row)
    item = programme.item(item_id)
    row.item_text = item.text
    row.section = programme.section(item.section).title
    row.key_item = item.key
    row.result, row.note, row.handling = value["result"], value["note"], value["handling"]
    due = value["due_date"]
    row.due_date = due if due is None or hasattr(due, "isoformat") else None


def answers_of(inspection: Inspection) -> dict[str, Answer]:
    """The inspection's answers by item id."""
    return {a.item_id: a for a in inspection.answers}


def section_progress(programme: Programme, answers: Mapping[str, Any]) -> list[dict]:
    """Answered and total items per section, for the progress bar."""
    out = []
    for section in programme.sections:
        done = sum(1 for i in section.items if _result(answers.get(i.id)))
        out.append(
            {"id": section.id, "title": section.title, "done": done, "total": len(section.items)}
        )
    return out


def _result(answer: Any) -> str | None:
    if answer is None:
        return None
    return answer.get("result") if isinstance(answer, Mapping) else answer.result
