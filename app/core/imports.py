"""Uploaded spreadsheets waiting between preview and confirm: staged, claimed once, purged.

The file is kept under instance/imports/<token> (it holds personal data, so an unconfirmed
one is deleted after FANGXIN_IMPORT_KEEP_HOURS); the ImportBatch row makes a confirm
idempotent: claim() succeeds for one request only, and a replay finds the stored result.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from app.extensions import db
from app.models import ImportBatch, User
from app.models.types import utcnow

KEEP = timedelta(hours=24)


def folder(instance_path: str) -> Path:
    """Where staged files live: instance/imports."""
    path = Path(instance_path) / "imports"
    path.mkdir(exist_ok=True)
    return path


def stage(
    instance_path: str, kind: str, filename: str, data: bytes, actor: User | None
) -> ImportBatch:
    """Keep an uploaded file for its preview; returns the flushed batch (token names the file)."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    batch = ImportBatch(
        token=secrets.token_urlsafe(18) + suffix,
        kind=kind,
        filename=filename[:255],
        created_by_id=getattr(actor, "id", None),
    )
    (folder(instance_path) / batch.token).write_bytes(data)
    db.session.add(batch)
    db.session.flush()
    return batch


def find(kind: str, token: str) -> ImportBatch | None:
    """The batch of this kind with this token, confirmed or not."""
    return db.session.scalar(
        db.select(ImportBatch).where(ImportBatch.kind == kind, ImportBatch.token == token)
    )


def staged_bytes(instance_path: str, batch: ImportBatch) -> bytes | None:
    """The staged file's bytes, or None once it was confirmed or purged."""
    path = folder(instance_path) / batch.token
    return path.read_bytes() if path.is_file() else None


def claim(batch: ImportBatch) -> bool:
    """Mark the batch confirmed and commit; False when another request claimed it first.

    Commits at once (the claim must be visible to a racing second click before the rows are
    written); the caller then writes the rows, records batch.result and commits again.
    """
    claimed = db.session.execute(
        db.update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


def unclaim(batch: ImportBatch) -> None:
    """Give a claimed batch back after its import failed, so the clerk can try again."""
    db.session.execute(
        db.update(ImportBatch).where(ImportBatch.id == batch.id).values(confirmed_at=None)
    )
    db.session.commit()


def finish(instance_path: str, batch: ImportBatch, result: dict) -> None:
    """Store what the import did (shown again on a replay) and delete the staged file."""
    batch.result = result
    (folder(instance_path) / batch.token).unlink(missing_ok=True)


def purge_expired(instance_path: str, keep: timedelta = KEEP) -> int:
    """Delete unconfirmed uploads older than keep, files and rows; returns how many."""
    old = db.session.scalars(
        db.select(ImportBatch).where(
            ImportBatch.confirmed_at.is_(None), ImportBatch.created_at < utcnow() - keep
        )
    ).all()
    for batch in old:
        (folder(instance_path) / batch.token).unlink(missing_ok=True)
        db.session.delete(batch)
    return len(old)
