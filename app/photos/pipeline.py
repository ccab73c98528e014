"""ingest(): one upload in, the stored full-size JPEG, its thumbnail and its metadata out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from PIL import Image

from app.photos import decode, encode, metadata
from app.photos.errors import MB


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """A photo ready to store: JPEG bytes keyed by their sha256, plus what the DB keeps."""

    sha256: str
    jpeg: bytes = field(repr=False)
    thumb: bytes = field(repr=False)
    width: int
    height: int
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None

    @property
    def size_bytes(self) -> int:
        """Size of the stored full JPEG (Photo.size_bytes)."""
        return len(self.jpeg)


def ingest(
    data: bytes | bytearray | memoryview | BinaryIO,
    *,
    max_bytes: int = 20 * MB,
    max_pixels: int = 50_000_000,
    long_edge: int = 1600,
    thumb_edge: int = 320,
    quality: int = 82,
) -> ProcessedPhoto:
    """Check, normalise and re-encode an uploaded photo; raises PhotoError when refused."""
    raw = decode.read_limited(data, max_bytes)
    with decode.pillow_warnings():
        source = decode.decode(raw, max_pixels, long_edge)
        exif = metadata.read_exif(source)
        full = _normalise(source, long_edge)
        thumb = encode.fit(full, thumb_edge, encode.THUMB_REDUCING_GAP)
        jpeg = encode.encode_jpeg(full, quality, progressive=False)
        thumb_jpeg = encode.encode_jpeg(thumb, quality)
        when, (lat, lon) = metadata.taken_at(exif), metadata.position(exif)
    return ProcessedPhoto(
        sha256=hashlib.sha256(jpeg).hexdigest(),
        jpeg=jpeg,
        thumb=thumb_jpeg,
        width=full.width,
        height=full.height,
        taken_at=when,
        latitude=lat,
        longitude=lon,
    )


def _normalise(source: Image.Image, long_edge: int) -> Image.Image:
    """Upright, flat 8-bit RGB, at most long_edge, in sRGB."""
    icc_profile = source.info.get("icc_profile")
    image = encode.fit(encode.flatten(encode.upright(source)), long_edge)
    return encode.to_srgb(image, icc_profile)
