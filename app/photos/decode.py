"""Reading an upload safely: size limits, format whitelist, bomb checks, full decode.

Checks run cheapest first and before any pixel is decoded: byte count, then the
header (format and dimensions), then `verify()`, and only then a full `load()` on a
fresh handle, which is what catches a truncated upload.

Shape rule: refuse either side over MAX_SIDE (20 000 px) or a long/short ratio over
MAX_ASPECT (20:1). Phone panoramas stay well under 10:1; 1×100000 strips do not.
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
from collections.abc import Iterator
from typing import BinaryIO

import pillow_heif
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from app.photos.errors import (
    EMPTY,
    NOT_IMAGE,
    TRUNCATED,
    PhotoError,
    bad_shape_message,
    too_large_message,
    too_many_pixels_message,
)

pillow_heif.register_heif_opener()

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_SIDE = 20_000
MAX_ASPECT = 20
# What a corrupt file can make a Pillow decoder raise, beyond OSError.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)
# Pillow's own guard (MAX_IMAGE_PIXELS): an error at 2x, a warning (made an error here) at 1x.
BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def read_limited(data: bytes | bytearray | memoryview | BinaryIO, max_bytes: int) -> bytes:
    """The upload's bytes, refused if empty or over max_bytes (never reads more than that + 1)."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data[: max_bytes + 1])
    else:
        raw = data.read(max_bytes + 1)
    if not raw:
        raise PhotoError("empty", EMPTY)
    if len(raw) > max_bytes:
        raise PhotoError("too_large", too_large_message(max_bytes))
    return raw


@contextlib.contextmanager
def pillow_warnings() -> Iterator[None]:
    """Make Pillow's bomb warning an error we catch, and keep its EXIF chatter quiet.

    `catch_warnings` is process-wide on Python 3.11; the worst a race can do is let a
    warning through, and the explicit pixel check in `check_header` still refuses.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def open_header(raw: bytes, max_pixels: int) -> Image.Image:
    """Open lazily (header only) among the accepted formats."""
    try:
        return Image.open(io.BytesIO(raw), formats=FORMATS)
    except BOMB_ERRORS:
        raise PhotoError("too_many_pixels", too_many_pixels_message(max_pixels)) from None
    except DECODE_ERRORS:
        raise PhotoError("not_image", NOT_IMAGE) from None


def check_header(image: Image.Image, max_pixels: int) -> None:
    """Refuse absurd shapes and too many pixels, from the header alone."""
    width, height = image.size
    long_side, short_side = max(width, height), min(width, height)
    if short_side < 1 or long_side > MAX_SIDE or long_side > MAX_ASPECT * short_side:
        raise PhotoError("bad_shape", bad_shape_message(MAX_SIDE, MAX_ASPECT))
    if width * height > max_pixels:
        raise PhotoError("too_many_pixels", too_many_pixels_message(max_pixels))


def verify(image: Image.Image) -> None:
    """Pillow's structural check (CRCs for PNG); the handle is unusable afterwards."""
    try:
        image.verify()
    except DECODE_ERRORS:
        raise PhotoError("truncated", TRUNCATED) from None


def decode(raw: bytes, max_pixels: int, long_edge: int) -> Image.Image:
    """Fully decoded first frame, checked; JPEGs decode at a reduced DCT scale when large."""
    verify(checked_header(raw, max_pixels))
    image = checked_header(raw, max_pixels)
    if isinstance(image, JpegImageFile) and max(image.size) > long_edge:  # incl. MPO
        scale = long_edge / max(image.size)
        image.draft(None, (round(image.width * scale), round(image.height * scale)))
    try:
        image.load()
    except BOMB_ERRORS:
        raise PhotoError("too_many_pixels", too_many_pixels_message(max_pixels)) from None
    except DECODE_ERRORS:
        raise PhotoError("truncated", TRUNCATED) from None
    return image


def checked_header(raw: bytes, max_pixels: int) -> Image.Image:
    """A fresh lazy handle that passed the header checks."""
    image = open_header(raw, max_pixels)
    check_header(image, max_pixels)
    return image
