"""Y4M test videos for Chromium's fake camera (--use-file-for-fake-video-capture)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

FRAME_MARK = b"FRAME\n"


def y4m_header(size: tuple[int, int], fps: int = 30) -> bytes:
    """A YUV4MPEG2 stream header for 4:2:0 frames (JPEG chroma siting), square pixels."""
    width, height = size
    return f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii")


def frame_bytes(image: Image.Image) -> bytes:
    """One frame as planar Y, then Cb and Cr subsampled 2x2 (full-range BT.601)."""
    y, cb, cr = image.convert("YCbCr").split()
    half = (image.width // 2, image.height // 2)
    chroma = (p.resize(half, Image.Resampling.BOX).tobytes() for p in (cb, cr))
    return y.tobytes() + b"".join(chroma)


def centred_on_white(png_bytes: bytes, size: tuple[int, int]) -> Image.Image:
    """The PNG centred on a white canvas of size, shrunk to 90% of the height if too big."""
    picture = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    limit = int(min(size) * 0.9)
    if max(picture.size) > limit:
        picture.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, "white")
    canvas.paste(picture, ((size[0] - picture.width) // 2, (size[1] - picture.height) // 2))
    return canvas


def make_y4m(
    path: str | Path, png_bytes: bytes, frames: int = 30, size: tuple[int, int] = (640, 480)
) -> Path:
    """Write a Y4M video of frames identical frames showing the PNG centred on white."""
    if size[0] % 2 or size[1] % 2:
        raise ValueError("4:2:0 video needs an even width and height")
    frame = FRAME_MARK + frame_bytes(centred_on_white(png_bytes, size))
    path = Path(path)
    with path.open("wb") as fh:
        fh.write(y4m_header(size))
        for _ in range(frames):
            fh.write(frame)
    return path
