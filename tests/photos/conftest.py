"""Photo fixtures, all generated here: nothing binary is checked in."""

from __future__ import annotations

import io
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops

# `pytest tests/photos` from the venv's script does not put the project on sys.path
# (pyproject sets no `pythonpath`); make `import app` work either way.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.storage import LocalStorage  # noqa: E402

YIMA = (34.741667, 111.883333)  # 34°44'30"N 111°53'00"E
TAKEN_LOCAL = "2024:07:01 10:30:00"  # Beijing time -> 02:30 UTC


def photo_like(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """An RGB image with gradients and grain, so it encodes like a photo."""
    channels = []
    for angle in (0, 90, 45):
        gradient = Image.linear_gradient("L").rotate(angle).resize(size)
        channels.append(ImageChops.add(gradient, Image.effect_noise(size, 8), offset=-128))
    return Image.merge("RGB", channels)


def camera_exif(
    orientation: int | None = None,
    gps: tuple[float, float] | None = None,
    taken: str | None = None,
    offset: str | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it: orientation, GPS as D/M/S with refs, local capture time."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fangxin test phone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if taken:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = taken
        if offset:
            sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps:
        exif[ExifTags.IFD.GPSInfo] = gps_ifd(*gps)
    return exif


def gps_ifd(lat: float, lon: float) -> dict[int, object]:
    """A GPS IFD for signed decimal degrees."""
    return {
        ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
        ExifTags.GPS.GPSLatitude: dms(abs(lat)),
        ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
        ExifTags.GPS.GPSLongitude: dms(abs(lon)),
    }


def dms(value: float) -> tuple[float, float, float]:
    """Decimal degrees to (degrees, minutes, seconds)."""
    degrees, rest = divmod(value * 3600, 3600)
    minutes, seconds = divmod(rest, 60)
    return float(degrees), float(minutes), round(seconds, 4)


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    """Image to file bytes in the given format."""
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit all-black PNG of the given size: kilobytes on disk, huge decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc


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
