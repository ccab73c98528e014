"""Submitting an inspection, replays of the same submit, and amendments.

One set of checks (app.answers.validate_answers plus the people on site) serves the
HTML form and the JSON API (app.inspections.whole, the whole inspection in one request). Submits commit themselves: a replay is recognised by the
unique client UUID, which only a committed row can prove.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.checklists import Programme
from app.core import audit
from app.core.clock import local, local_today
from app.extensions import db
from app.inspections import ledger, presence, record_form, reinspection
from app.inspections.answers import coerce_fields, results_of, validate_answers
from app.inspections.drafts import (
    answers_of,
    programme_of,
)
from app.inspections.scoring import Score, score_inspection
from app.models import Establishment, Inspection, User
from app.models.data_partition import rows_of
from app.models.types import utcnow
from app.photos import service as photo_service
from app.plans import visits as plan_visits


class SubmitRefused(ValueError):
    """The inspection cannot be submitted; .messages are shown to the inspector."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class UuidConflict(ValueError):
    """The client UUID belongs to another inspector's or establishment's inspection."""


def people_problems(second_inspector: str, operator_rep: str, inspector: User) -> list[str]:
    """The rules want two inspectors and the operator's representative, by name."""
    messages = []
    second = (second_inspector or "").strip()
    if not second:
        messages.append(_("【第二名检查人员】未填写（监督检查须两名以上检查人员参加）"))
    elif second == inspector.display_name:
        messages.append(_("【第二名检查人员】不能与本人相同"))
    if not (operator_rep or "").strip():
        messages.append(_("【经营者代表】未填写姓名"))
    return messages


def problems(inspection: Inspection) -> list[str]:
    """Every reason a draft cannot be submitted yet (empty when it can)."""
    programme = programme_of(inspection)
    messages = validate_answers(
        programme,
        answers_of(inspection),
        inspection.fields or {},
        photos=photo_service.item_ids_with_photos(inspection),
        inspected_on=local_today(),
    )
    people = people_problems(
        inspection.second_inspector, inspection.operator_rep, inspection.inspector
    )
    record = record_form.problems(record_form.values_of(inspection), inspection.operator_rep)
    return messages + people + record


def posted_problems(
    programme: Programme,
    answers: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, Any],
    people: Mapping[str, str],
    inspector: User,
    photos: set[str],
    inspected_on,
) -> list[str]:
    """Every reason posted answers, fields and people cannot be submitted (empty when they can)."""
    messages = validate_answers(
        programme, answers, coerce_fields(programme, fields),
        photos=photos, inspected_on=inspected_on,
    )  # fmt: skip
    second, rep = people.get("second_inspector"), people.get("operator_rep")
    record = record_form.problems(people, rep or "")
    return messages + people_problems(second, rep, inspector) + record


def preview(inspection: Inspection) -> Score:
    """The outcome the inspection would get if submitted now."""
    return _score(programme_of(inspection), inspection, local_today())


def score_of(inspection: Inspection) -> Score:
    """A submitted inspection's score again, with its breakdown (static and dynamic points)."""
    return _score(programme_of(inspection), inspection, local(inspection.submitted_at).date())


def _score(programme: Programme, inspection: Inspection, inspected_on) -> Score:
    return score_inspection(
        programme,
        results_of(answers_of(inspection)),
        inspection.fields or {},
        permit_issued_on=inspection.establishment.permit_issued_on,
        inspected_on=inspected_on,
    )


def submit(
    actor: User,
    inspection: Inspection,
    verify_ids: Collection[int] = (),
    fixes: Mapping[str, Any] | None = None,
) -> Inspection:
    """Check, score and submit a draft, and commit; a submitted one is returned as it is.

    verify_ids are open ledger entries of the establishment that this (follow-up)
    inspection found fixed; fixes the phone's presence ({start, submit}, bad ones dropped).
    """
    if inspection.status == "submitted":
        return inspection
    messages = problems(inspection)
    if messages:
        raise SubmitRefused(messages)
    fill = lambda: presence.record_all(inspection, fixes)  # noqa: E731
    return finish_and_commit(actor, inspection, fill, verify_ids)


def finish(
    actor: User, inspection: Inspection, when: datetime, verify_ids: Collection[int] = ()
) -> Score:
    """Store the score columns and the submit time; market programmes grade the market."""
    programme = programme_of(inspection)
    score = _score(programme, inspection, local(when).date())
    for name, value in score.columns().items():
        setattr(inspection, name, value)
    for answer in inspection.answers:
        if answer.result != "fail":
            answer.handling, answer.due_date = None, None
    inspection.status, inspection.submitted_at = "submitted", when
    if programme.scoring_rule == "market_risk" and not inspection.superseded:
        _grade_market(actor, inspection.establishment, score.grade, local(when).date())
    db.session.flush()
    audit.record(actor, "submit", inspection, _summary(inspection), _audit_values(inspection))
    after_submit(actor, inspection, verify_ids)
    return score


def _grade_market(actor: User, market: Establishment, grade: str | None, on: date) -> None:
    """Give the market the inspection's risk grade, on the establishment's own history."""
    values = {"risk_grade": grade, "risk_assessed_on": on}
    audit.update(
        actor,
        market,
        tuple(values),
        values,
        audit.message("establishment.risk_grade", grade=grade or "-"),
    )


def after_submit(actor: User, inspection: Inspection, verify_ids: Collection[int] = ()) -> None:
    """Put failures on the ledger; close entries found fixed, a re-inspection request, a drawn visit."""
    ledger.open_actions(inspection)
    reinspection.close_on_inspection(inspection)
    plan_visits.close_on_inspection(inspection)
    wanted = {int(i) for i in verify_ids}
    for action in ledger.open_entries_for(inspection.establishment):
        if action.id in wanted and action.inspection_id != inspection.id:
            ledger.verify(actor, action, inspection, "复查合格")
            # A visit that checks ledger entries is a follow-up, unless typed otherwise.
            if inspection.inspection_type == "routine":
                inspection.inspection_type = "followup"


def _summary(inspection: Inspection) -> audit.Message:
    name = inspection.establishment.name
    if inspection.revision > 1:
        return audit.message("inspection.submit_revision", name=name, revision=inspection.revision)
    return audit.message("inspection.submit", name=name)


def _audit_values(inspection: Inspection) -> dict:
    fields = ("client_uuid", "programme", "outcome", "grade", "score", "five_goods_met")
    return audit.snapshot(inspection, (*fields, "revision", "amends_id"))


def finish_and_commit(actor: User, inspection: Inspection, fill, verify_ids=()) -> Inspection:
    """Fill, finish and commit (submits commit themselves); a unique-UUID clash (a racing replay) returns the winner."""
    client_uuid = inspection.client_uuid
    try:
        if inspection.status == "draft" and not _claim(inspection):
            db.session.rollback()  # a racing submit of this draft got there first
            return by_uuid(client_uuid)
        fill()
        finish(actor, inspection, utcnow(), verify_ids)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = by_uuid(client_uuid)
        if existing is None:
            raise
        return existing
    return inspection


def _claim(draft: Inspection) -> bool:
    """Mark the draft submitted in the database; False if another submit already did.

    Two submits of one draft at once (a double tap, the page and a replay) both read it
    as a draft; only one may open its ledger entries and audit the submit.
    """
    claimed = db.session.execute(
        update(Inspection)
        .where(Inspection.id == draft.id, Inspection.status == "draft")
        .values(status="submitted")
        .execution_options(**rows_of(draft.establishment_id))
    )
    return claimed.rowcount == 1


def by_uuid(client_uuid: str) -> Inspection | None:
    """The inspection carrying this client UUID."""
    return db.session.scalar(db.select(Inspection).where(Inspection.client_uuid == client_uuid))


def normal_uuid(value: Any) -> str | None:
    """A UUID in canonical form, or None when the value is not one."""
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None
