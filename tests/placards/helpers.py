"""Small helpers shared by the QR tests."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image


def decode(image: Image.Image | bytes) -> list[str]:
    """Every QR code text zxing-cpp finds in a Pillow image or PNG bytes."""
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in found]
