"""What the database keeps from a photo's EXIF: when it was taken and where.

Times: EXIF DateTimeOriginal has no zone. When the camera wrote OffsetTimeOriginal
(e.g. "+08:00") that offset is used; otherwise the time is taken as China Standard
Time (Asia/Shanghai, UTC+8, no DST since 1991), the phones' clock in Yima. The result
is an aware UTC datetime.

Position: GPS latitude/longitude as degrees/minutes/seconds rationals with N/S, E/W
refs become signed decimal degrees (WGS-84, as phones record it; not GCJ-02).
Missing, unreadable, out-of-range or (0, 0) positions give None.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

from PIL import ExifTags, Image

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
EXIF_TIME_FORMAT = "%Y:%m:%d %H:%M:%S"
_GPS = ExifTags.GPS
# Anything a malformed EXIF block can make Pillow raise while parsing it.
EXIF_ERRORS = (OSError, SyntaxError, ValueError, KeyError, TypeError, IndexError, ZeroDivisionError)


def read_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF, or an empty one when it is missing or unreadable."""
    try:
        return image.getexif()
    except EXIF_ERRORS:
        return Image.Exif()


def taken_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal (else DateTimeDigitized) as an aware UTC datetime, or None."""
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except EXIF_ERRORS:
        return None
    for tag, offset_tag in (
        (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal),
        (ExifTags.Base.DateTimeDigitized, ExifTags.Base.OffsetTimeDigitized),
    ):
        when = parse_exif_time(sub.get(tag), sub.get(offset_tag))
        if when is not None:
            return when
    return None


def parse_exif_time(value: object, offset: object = None) -> datetime | None:
    """'2024:07:01 10:30:00' (+ optional '+08:00') to aware UTC; None for blanks or junk."""
    try:
        local = datetime.strptime(_text(value)[:19], EXIF_TIME_FORMAT)
        return local.replace(tzinfo=parse_offset(offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_offset(value: object) -> timezone:
    """An EXIF offset like '+05:30' as a timezone; China Standard Time when absent or bad."""
    text = _text(value)
    try:
        sign = {"+": 1, "-": -1}[text[0]]
        hours, minutes = int(text[1:3]), int(text[4:6])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    except (KeyError, IndexError, ValueError):
        return CHINA_TZ


def position(exif: Image.Exif) -> tuple[float | None, float | None]:
    """Signed (latitude, longitude) in decimal degrees, or (None, None)."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat = signed_degrees(gps[_GPS.GPSLatitude], gps.get(_GPS.GPSLatitudeRef), "S")
        lon = signed_degrees(gps[_GPS.GPSLongitude], gps.get(_GPS.GPSLongitudeRef), "W")
    except EXIF_ERRORS:
        return None, None
    if not (abs(lat) <= 90 and abs(lon) <= 180) or (lat == 0 and lon == 0):
        return None, None
    return lat, lon


def signed_degrees(dms: object, ref: object, negative_ref: str) -> float:
    """(degrees, minutes, seconds) rationals plus ref to signed degrees; raises if unusable."""
    parts = [float(part) for part in dms]  # type: ignore[attr-defined]
    degrees = sum(value / 60**i for i, value in enumerate(parts[:3]))
    if not math.isfinite(degrees) or not parts:
        raise ValueError("unusable GPS value")
    return -degrees if _text(ref).upper().startswith(negative_ref) else degrees


def _text(value: object) -> str:
    """An EXIF ASCII value as clean text (bytes decoded, NULs and spaces trimmed)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip("\x00 ")
