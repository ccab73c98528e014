"""The Y4M fake-camera helper (tests/placards/video.py)."""

import pytest
from PIL import Image

from app.placards.qr import qr_png

from .helpers import decode
from .video import make_y4m


def test_y4m_header_and_byte_count(tmp_path, url):
    path = make_y4m(tmp_path / "cam.y4m", qr_png(url, box_size=6), frames=5, size=(320, 240))
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    assert header == b"YUV4MPEG2 W320 H240 F30:1 Ip A1:1 C420jpeg"
    frame = 6 + 320 * 240 * 3 // 2
    assert len(body) == 5 * frame
    assert body[:6] == b"FRAME\n" and body[frame : frame + 6] == b"FRAME\n"


def test_y4m_luma_plane_shows_the_qr(tmp_path, url):
    path = make_y4m(tmp_path / "cam.y4m", qr_png(url, box_size=8), frames=2)
    data = path.read_bytes()
    start = data.index(b"\n") + 1 + 6
    luma = Image.frombytes("L", (640, 480), data[start : start + 640 * 480])
    assert luma.getpixel((2, 2)) == 255  # white background
    assert decode(luma) == [url]


def test_y4m_shrinks_a_large_picture_to_fit(tmp_path, url):
    path = make_y4m(tmp_path / "cam.y4m", qr_png(url, box_size=20), frames=1)
    data = path.read_bytes()
    start = data.index(b"\n") + 1 + 6
    assert decode(Image.frombytes("L", (640, 480), data[start : start + 640 * 480])) == [url]


def test_y4m_refuses_odd_sizes(tmp_path, url):
    with pytest.raises(ValueError, match="even"):
        make_y4m(tmp_path / "cam.y4m", qr_png(url), size=(641, 480))
