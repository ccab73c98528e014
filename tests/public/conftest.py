"""Fixtures for the public side: submitted inspections with private details to leak-test."""

import itertools
import uuid
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import Answer, Inspection, LedgerEntry, Photo
from tests.factories import make_checklist_version as checklist_version

_day = itertools.count(1)
SECRET_NOTE = "后厨发现老鼠屎-私密备注"
SECRET_ITEM = "冷藏柜温度超标-私密条目"
SECRET_SECOND = "张三丰-第二检查员"


@pytest.fixture
def make_inspection(city):
    """Factory: a submitted inspection with an answer, a note and a photo (all private)."""

    def make(est, programme="five_goods", when=None, **fields):
        when = when or datetime(2024, 3, next(_day) % 28 + 1, 2, 0, tzinfo=UTC)
        values = {
            "client_uuid": str(uuid.uuid4()),
            "establishment_id": est.id,
            "checklist_version_id": checklist_version(programme).id,
            "programme": programme,
            "inspector_id": city.inspector.id,
            "second_inspector": SECRET_SECOND,
            "status": "submitted",
            "started_at": when,
            "submitted_at": when,
            "outcome": "compliant",
            "operator_rep": "店主李四签字",
            "fields": {"memo": SECRET_NOTE},
        }
        values.update(fields)
        inspection = Inspection(**values)
        inspection.answers = [
            Answer(item_id="x1", item_text=SECRET_ITEM, result="fail", note=SECRET_NOTE)
        ]
        db.session.add(inspection)
        db.session.flush()
        db.session.add(
            Photo(
                sha256="f" * 64,
                kind="item",
                establishment_id=est.id,
                inspection_id=inspection.id,
                item_id="x1",
                width=10,
                height=10,
                size_bytes=100,
            )
        )
        db.session.commit()
        return inspection

    return make


@pytest.fixture
def open_action():
    """Factory: an open hazard-ledger action on an inspection."""

    def make(inspection):
        action = LedgerEntry(
            establishment_id=inspection.establishment_id,
            inspection_id=inspection.id,
            item_id="x1",
            item_text=SECRET_ITEM,
            handling="deadline",
            note=SECRET_NOTE,
        )
        db.session.add(action)
        db.session.commit()
        return action

    return make
