"""The photo pipeline: pure functions from uploaded bytes to stored JPEGs (no Flask here).

from app.photos import ingest, PhotoError
photo = ingest(request.files["photo"])   # raises PhotoError(code, Chinese message)
"""

from app.photos.errors import MB, PhotoError, StorageFull
from app.photos.pipeline import ProcessedPhoto, ingest

__all__ = ["MB", "PhotoError", "ProcessedPhoto", "StorageFull", "ingest"]
