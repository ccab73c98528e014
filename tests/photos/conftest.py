"""Photo fixtures, all generated here: nothing binary is checked in.

The jpeg, upload and draft fixtures the photo routes use are in tests/conftest.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# `pytest tests/photos` from the venv's script does not put the project on sys.path
# (pyproject sets no `pythonpath`); make `import app` work either way.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.extensions import db  # noqa: E402
from app.models import Answer  # noqa: E402
from app.photos.storage import LocalStorage  # noqa: E402
from tests.photos.files import (  # noqa: E402, F401  (re-exported for the photo tests)
    TAKEN_LOCAL,
    YIMA,
    camera_exif,
    chunk,
    dms,
    encode,
    gps_ifd,
    photo_like,
    png_bomb,
)
from tests.photos.s3_server import s3_bucket, s3_config, s3_endpoint  # noqa: E402, F401  (fixtures)


@pytest.fixture(scope="session")
def camera_jpeg() -> Callable[..., bytes]:
    """Factory: a phone-like JPEG, `camera_jpeg(size=..., orientation=..., gps=..., taken=...)`."""

    def make(size: tuple[int, int] = (800, 600), quality: int = 90, **exif: object) -> bytes:
        return encode(photo_like(size), "JPEG", quality=quality, exif=camera_exif(**exif))

    return make


@pytest.fixture(scope="session")
def plain_jpeg(camera_jpeg) -> bytes:
    """An ordinary 800x600 JPEG with no interesting EXIF."""
    return camera_jpeg()


@pytest.fixture
def text_as_jpg(tmp_path: Path) -> Path:
    """A text file wearing a .jpg name."""
    path = tmp_path / "检查记录.jpg"
    path.write_text("这不是图片，只是一段文字。\n" * 20, encoding="utf-8")
    return path


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    """LocalStorage in a temporary instance/uploads."""
    return LocalStorage(tmp_path / "instance" / "uploads")


@pytest.fixture
def uploads(app) -> LocalStorage:
    """The app's photo storage."""
    return LocalStorage(app.config["FANGXIN_UPLOAD_DIR"])


def stored_files(storage: LocalStorage) -> list[Path]:
    """Every stored photo file (full and thumbnail)."""
    root = Path(storage.root)
    return sorted(p for p in root.rglob("*.jpg")) if root.exists() else []


def saved_answers(inspection_id: int) -> list[tuple]:
    """The answers as stored, read fresh from the database."""
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(Answer).where(Answer.inspection_id == inspection_id).order_by(Answer.item_id)
    )
    return [(a.item_id, a.result, a.note, a.handling) for a in rows]
