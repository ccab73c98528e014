"""QR images for establishment placards: the URL a placard encodes, as PNG or SVG.

Pure functions: nothing here knows about requests, the database or Flask.
"""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_Q

# Q (25% recovery): placards hang in kitchens and get greasy, scratched and sun-bleached.
# A 22-character token keeps a typical URL in version 4-6, still coarse on A6.
ERROR_CORRECTION = ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires


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
