"""Photo test files generated in code (nothing binary is checked in); used across the suite."""

from __future__ import annotations

import io
import zlib

import pillow_heif
from PIL import ExifTags, Image, ImageChops

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


def heif_encoder_available() -> bool:
    """Whether this libheif build can write HEIC (needs an HEVC encoder such as x265)."""
    return bool(pillow_heif.libheif_info().get("HEIF"))


def heic(size: tuple[int, int] = (2000, 1500), **exif: object) -> bytes:
    """An iPhone-like HEIC with EXIF (time, GPS) when asked."""
    return encode(photo_like(size), "HEIF", quality=80, exif=camera_exif(**exif).tobytes())
