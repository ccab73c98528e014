"""QR tokens, short codes and QR images for establishment placards.

Pure functions: nothing here knows about requests, the database or Flask.

- The *token* is what the QR encodes (``{base}/q/{token}``). It is random (128 bits), never
  derived from an id, so public URLs cannot be enumerated.
- The *short code* is printed under the QR for people whose phone cannot scan: 8 characters
  from an alphabet without look-alikes (no 0/O, 1/I/L), typed into a form.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_Q

TOKEN_BYTES = 16  # 128 random bits -> 22 url-safe characters
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22,64}")

# Digits and capitals minus 0 O 1 I L: nothing on a printed placard can be mistaken
# for another character of the alphabet. 31 symbols ** 8 ~ 8.5e11 codes (~39.6 bits).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8
SHORT_CODE_RE = re.compile(f"[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}")
# Separators people type or copy between groups: spaces, hyphens and dashes of every width.
_SEPARATORS_RE = re.compile(r"[\s\-_.·‐‑‒–—―−]+")

# Q (25% recovery): placards hang in kitchens and get greasy, scratched and sun-bleached.
# A 22-character token keeps a typical URL in version 4-6, still coarse on A6.
ERROR_CORRECTION = ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires


def new_token() -> str:
    """A fresh random URL token for an establishment's QR (128 bits, 22 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(text: str) -> bool:
    """Whether text has the shape of a QR token (not whether one exists)."""
    return TOKEN_RE.fullmatch(text) is not None


def new_short_code() -> str:
    """A fresh random 8-character short code from the look-alike-free alphabet."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_short_code(text: str) -> str:
    """Canonical form of a typed short code: NFKC, upper-case, separators removed.

    Full-width input from a Chinese IME (ＡＢ１２) becomes ASCII. No character is mapped
    to another: 0/O and 1/I/L are all outside the alphabet, so there is no single right
    guess for them and the result simply fails ``is_short_code``.
    """
    text = unicodedata.normalize("NFKC", text or "").upper()
    return _SEPARATORS_RE.sub("", text)


def is_short_code(code: str) -> bool:
    """Whether an already-normalised code is 8 characters from the alphabet."""
    return SHORT_CODE_RE.fullmatch(code) is not None


def format_short_code(code: str) -> str:
    """The short code spaced for reading aloud and typing: ``ABCD EFGH``."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def public_url(base_url: str, token: str) -> str:
    """The public page URL a placard's QR encodes: ``{base}/q/{token}``."""
    return f"{base_url.rstrip('/')}/q/{token}"


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules for url, True = dark, including the 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.get_matrix()


def matrix_image(matrix: list[list[bool]], box_size: int) -> Image.Image:
    """A module matrix as a black-on-white greyscale image, box_size pixels per module."""
    n = len(matrix)
    img = Image.new("L", (n, n), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return img.resize((n * box_size, n * box_size), Image.Resampling.NEAREST)


def qr_image(url: str, box_size: int = 10) -> Image.Image:
    """The QR for url as a black-on-white Pillow image, box_size pixels per module."""
    return matrix_image(qr_matrix(url), box_size)


def qr_png(url: str, box_size: int = 10) -> bytes:
    """The QR for url as PNG bytes (quiet zone included)."""
    buf = io.BytesIO()
    qr_image(url, box_size).convert("1").save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def qr_svg_path(matrix: list[list[bool]]) -> str:
    """SVG path data drawing the dark modules of matrix, one unit per module."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(parts)


def qr_svg(url: str) -> str:
    """The QR for url as a standalone SVG document (scalable; quiet zone included)."""
    matrix = qr_matrix(url)
    n = len(matrix)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'width="{n * 8}" height="{n * 8}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{qr_svg_path(matrix)}"/></svg>\n'
    )
