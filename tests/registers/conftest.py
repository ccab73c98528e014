"""Factories for inspections, answers and registrations, built directly as rows."""

import itertools
import uuid
from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.models import Answer, Inspection, Registration
from tests.factories import make_checklist_version

_serial = itertools.count(1)


def checklist_version(programme="three_small"):
    """The one stored version of a programme (created on first use)."""
    return make_checklist_version(programme)


@pytest.fixture
def make_inspection(city):
    """Factory: a submitted inspection of an establishment, with answers.

    answers: tuples (item_id, result, handling, due_date).
    """

    def make(est, answers=(), submitted_at=None, inspector=None, status="submitted", **fields):
        version = checklist_version()
        inspection = Inspection(
            client_uuid=str(uuid.uuid4()),
            establishment_id=est.id,
            checklist_version_id=version.id,
            programme=version.programme,
            inspector=inspector or city.inspector,
            status=status,
            submitted_at=(submitted_at or datetime(2024, 6, 1, 2, 0, tzinfo=UTC))
            if status == "submitted"
            else None,
            **fields,
        )
        for item_id, result, handling, due_date in answers:
            inspection.answers.append(
                Answer(
                    item_id=item_id,
                    item_text=f"检查项 {item_id}",
                    result=result,
                    handling=handling,
                    due_date=due_date,
                )
            )
        db.session.add(inspection)
        db.session.flush()
        return inspection

    return make


@pytest.fixture
def make_registration(city):
    """Factory: an issued registration row with given dates (no service rules applied)."""

    def make(est, issued_on=date(2024, 1, 10), valid_until=None, state="issued", **fields):
        fields.setdefault("number", f"TEST-{next(_serial):05d}")
        reg = Registration(
            establishment_id=est.id,
            kind="filing" if est.category == "stall" else "registration",
            state=state,
            applied_on=issued_on,
            issued_on=issued_on,
            valid_until=valid_until,
            details={"operator": "张三", "address": est.address, "products": "馒头"},
            **fields,
        )
        db.session.add(reg)
        db.session.flush()
        return reg

    return make
