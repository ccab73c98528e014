"""Fixtures for the photo routes: a draft inspection with saved answers, an upload helper."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Answer, ChecklistVersion, Inspection
from app.photos.storage import LocalStorage
from tests.photos.files import camera_exif, encode, photo_like

ITEM = "fg.env.01"  # five goods, "photo on failure"
OTHER_ITEM = "fg.env.02"


def make_draft(est, inspector, status: str = "draft") -> Inspection:
    """A five-goods inspection with two saved answers (one failed, with a note)."""
    version = db.session.scalar(db.select(ChecklistVersion).filter_by(programme="five_goods"))
    if version is None:
        version = ChecklistVersion(programme="five_goods", version="t1", title="五好", content={})
        db.session.add(version)
    inspection = Inspection(
        client_uuid=str(uuid.uuid4()),
        establishment=est,
        checklist_version=version,
        programme="five_goods",
        inspector=inspector,
        status=status,
    )
    inspection.answers = [
        Answer(
            item_id=ITEM, item_text="环境整洁", result="fail", note="地面有积水", handling="on_spot"
        ),
        Answer(item_id=OTHER_ITEM, item_text="设施齐全", result="pass", note=""),
    ]
    db.session.add(inspection)
    db.session.commit()
    return inspection


def saved_answers(inspection_id: int) -> list[tuple]:
    """The answers as stored, read fresh from the database."""
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(Answer).where(Answer.inspection_id == inspection_id).order_by(Answer.item_id)
    )
    return [(a.item_id, a.result, a.note, a.handling) for a in rows]


@pytest.fixture
def est(make_establishment):
    """A rural shop in the inspector's (north) area."""
    return make_establishment()


@pytest.fixture
def draft(city, est):
    """The inspector's draft inspection of `est`."""
    return make_draft(est, city.inspector)


@pytest.fixture
def jpeg() -> bytes:
    """A plain 800x600 photo."""
    return encode(photo_like((800, 600)), "JPEG", quality=90, exif=camera_exif())


@pytest.fixture
def upload(client):
    """POST one file as photos.js does (JSON), or as a plain form (json=False)."""

    def post(url: str, data: bytes, name: str = "photo.jpg", json: bool = True, **extra):
        headers = {"Accept": "application/json"} if json else {"Accept": "text/html"}
        fields = {"photo": FileStorage(io.BytesIO(data), filename=name), **extra}
        # Encoded in memory: the test client would spool a big body to a temp file it
        # never closes (a ResourceWarning, an error in this suite).
        boundary, body = encode_multipart(MultiDict(fields))
        ctype = f"multipart/form-data; boundary={boundary}"
        return client.post(url, data=body, content_type=ctype, headers=headers)

    return post


@pytest.fixture
def uploads(app) -> LocalStorage:
    """The app's photo storage."""
    return LocalStorage(app.config["FANGXIN_UPLOAD_DIR"])


def stored_files(storage: LocalStorage) -> list[Path]:
    """Every stored photo file (full and thumbnail)."""
    root = Path(storage.root)
    return sorted(p for p in root.rglob("*.jpg")) if root.exists() else []
