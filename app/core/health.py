"""The health check's facts: is the database reachable, is there room for photos.

Cheap enough for a load balancer to ask every few seconds: one `SELECT 1` on a pooled
connection and one statvfs, no templates, no session.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

MB = 1024 * 1024
log = logging.getLogger(__name__)


def database_reachable() -> bool:
    """Whether a pooled connection answers `SELECT 1`."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        log.error("health check: database unreachable: %s", exc)
        return False
    return True


def report(free_bytes: int | None, min_free_mb: int) -> tuple[dict, bool]:
    """(the JSON body, healthy): healthy when the database answers and free ≥ the threshold.

    free_bytes is None for a store with no free-space figure (an object store).
    """
    database = database_reachable()
    room = free_bytes is None or free_bytes >= min_free_mb * MB
    if not room:
        log.error("health check: photo store has %d MB free", free_bytes // MB)
    body = {
        "status": "ok" if database and room else "fail",
        "database": "ok" if database else "unreachable",
        "storage": {
            "status": "ok" if room else "low",
            "free_mb": None if free_bytes is None else free_bytes // MB,
            "min_free_mb": min_free_mb,
        },
    }
    return body, database and room
