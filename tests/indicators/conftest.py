"""Fixtures for indicator tests: local times, establishments registered at a given time.

Inspections with their computed columns come from make_inspection (tests/conftest.py).
"""

from datetime import UTC, datetime

import pytest

from app.core.clock import LOCAL_ZONE
from app.extensions import db


def local(y, m, d, hh=12, mm=0) -> datetime:
    """An aware UTC time for a wall-clock time in Asia/Shanghai."""
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_ZONE).astimezone(UTC)


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
