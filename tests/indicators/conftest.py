"""Factories for indicator tests: inspections built directly with their computed columns."""

import itertools
import uuid
from datetime import UTC, datetime

import pytest

from app.core.clock import LOCAL_ZONE
from app.extensions import db
from app.models import Inspection
from tests.factories import make_checklist_version as checklist

_versions: dict = {}
_n = itertools.count(1)


def local(y, m, d, hh=12, mm=0) -> datetime:
    """An aware UTC time for a wall-clock time in Asia/Shanghai."""
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_ZONE).astimezone(UTC)


@pytest.fixture
def inspect(city):
    """Factory: a submitted inspection of an establishment at an aware time, with columns."""

    def make(est, programme, when, status="submitted", superseded=False, **columns):
        version = checklist(programme)
        ins = Inspection(
            client_uuid=str(uuid.uuid4()),
            establishment_id=est.id,
            checklist_version_id=version.id,
            programme=programme,
            inspector_id=city.inspector.id,
            status=status,
            started_at=when,
            submitted_at=when if status == "submitted" else None,
            superseded=superseded,
            outcome=columns.pop("outcome", "compliant"),
            **columns,
        )
        db.session.add(ins)
        db.session.commit()
        return ins

    return make


@pytest.fixture
def at(make_establishment):
    """Factory: an establishment registered at a given time (default 2023-01-01 local)."""

    def make(created=None, closed=None, **fields):
        est = make_establishment(**fields)
        est.created_at = created or local(2023, 1, 1)
        if closed:
            est.active = False
            est.closed_at = closed
        db.session.commit()
        return est

    return make
