"""The photo pipeline: what it accepts, what it refuses (and says why), what it stores."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pillow_heif
import pytest
from PIL import Image, ImageCms

from app.photos import MB, PhotoError, ingest

from .conftest import TAKEN_LOCAL, YIMA, camera_exif, encode, photo_like, png_bomb

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"
TRUNCATED = "图片文件不完整或已损坏（可能上传中断），请重拍或重新选择"
TOO_MANY_PIXELS = "图片像素过多（超过 5000 万像素），已拒绝"
BAD_SHAPE = "图片尺寸异常（边长超过 20000 像素或长宽比超过 20:1），已拒绝"


def refusal(data, **limits) -> PhotoError:
    """The PhotoError ingest raises for data."""
    with pytest.raises(PhotoError) as caught:
        ingest(data, **limits)
    return caught.value


def reopen(data: bytes) -> Image.Image:
    """A stored JPEG, decoded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- refusals -------------------------------------------------------------------------


def test_text_file_named_jpg_is_not_an_image(text_as_jpg):
    with text_as_jpg.open("rb") as fh:
        err = refusal(fh)
    assert (err.code, str(err)) == ("not_image", NOT_IMAGE)


def test_unsupported_image_format_is_refused():
    err = refusal(encode(photo_like((64, 48)), "GIF"))
    assert (err.code, str(err)) == ("not_image", NOT_IMAGE)


def test_empty_upload_is_refused():
    err = refusal(b"")
    assert (err.code, str(err)) == ("empty", "没有收到照片文件，请重新选择")


@pytest.mark.parametrize("keep", [0.5, 0.9, -2])
def test_truncated_jpeg_is_refused(plain_jpeg, keep):
    cut = int(len(plain_jpeg) * keep) if keep > 0 else len(plain_jpeg) + keep
    err = refusal(plain_jpeg[:cut])
    assert (err.code, str(err)) == ("truncated", TRUNCATED)


def test_corrupt_png_fails_verify():
    data = bytearray(encode(photo_like((64, 48)), "PNG"))
    data[60] ^= 0xFF  # inside IDAT: the CRC no longer matches
    err = refusal(bytes(data))
    assert (err.code, str(err)) == ("truncated", TRUNCATED)


def test_file_over_20_mb_is_refused_before_decoding(plain_jpeg):
    data = plain_jpeg + b"\0" * (25 * MB)
    err = refusal(data)
    assert (err.code, str(err)) == ("too_large", "照片超过 20 MB，请压缩后重试")
    assert err.too_large


def test_file_like_over_limit_is_read_no_further_than_the_limit(plain_jpeg):
    stream = io.BytesIO(plain_jpeg + b"\0" * (25 * MB))
    err = refusal(stream)
    assert err.code == "too_large"
    assert stream.tell() == 20 * MB + 1


def test_size_limit_message_follows_the_limit(plain_jpeg):
    assert str(refusal(plain_jpeg, max_bytes=MB // 10)) == "照片超过 0.1 MB，请压缩后重试"


@pytest.mark.parametrize("size", [(1, 100_000), (100_000, 1), (20_001, 1000), (2100, 100)])
def test_absurd_shapes_are_refused_from_the_header(size):
    err = refusal(png_bomb(*size))
    assert (err.code, str(err)) == ("bad_shape", BAD_SHAPE)


def test_long_panorama_within_20_to_1_is_accepted():
    photo = ingest(encode(photo_like((2000, 100)), "PNG"))
    assert (photo.width, photo.height) == (1600, 80)


@pytest.mark.parametrize(
    "size",
    [
        (8000, 8000),  # 64 MP: over our 50 MP, under Pillow's own guard
        (10_000, 10_000),  # 100 MP: Pillow warns (an error in this suite)
        (20_000, 20_000),  # 400 MP: Pillow raises DecompressionBombError
    ],
)
def test_decompression_bombs_are_refused(size):
    bomb = png_bomb(*size)
    assert len(bomb) < 100_000
    err = refusal(bomb)
    assert (err.code, str(err)) == ("too_many_pixels", TOO_MANY_PIXELS)


def test_pixel_limit_message_follows_the_limit(plain_jpeg):
    err = refusal(plain_jpeg, max_pixels=100_000)
    assert str(err) == "图片像素过多（超过 10 万像素），已拒绝"


# --- what is stored -------------------------------------------------------------------


def test_large_photo_is_downscaled_with_thumbnail(camera_jpeg):
    photo = ingest(camera_jpeg(size=(4000, 3000)))
    assert (photo.width, photo.height) == (1600, 1200)
    assert reopen(photo.jpeg).size == (1600, 1200)
    assert reopen(photo.thumb).size == (320, 240)
    assert photo.size_bytes == len(photo.jpeg)
    assert reopen(photo.jpeg).format == "JPEG"


def test_small_photo_is_not_upscaled(camera_jpeg):
    photo = ingest(camera_jpeg(size=(300, 200)))
    assert (photo.width, photo.height) == (300, 200)
    assert reopen(photo.thumb).size == (300, 200)


def test_rotated_phone_photo_is_stored_upright():
    sensor = photo_like((800, 600))
    sensor.paste((255, 0, 0), (0, 0, 100, 100))  # red in the sensor's top-left
    data = encode(sensor, "JPEG", quality=95, exif=camera_exif(orientation=6))
    photo = ingest(data)
    stored = reopen(photo.jpeg)
    assert (photo.width, photo.height) == stored.size == (600, 800)
    assert stored.getexif().get(0x0112) is None
    red, green, blue = stored.getpixel((550, 50))  # orientation 6: top-left -> top-right
    assert red > 200 and green < 60 and blue < 60


def test_gps_and_time_are_extracted_and_stripped_from_stored_files(camera_jpeg):
    data = camera_jpeg(gps=YIMA, taken=TAKEN_LOCAL, orientation=1)
    photo = ingest(data)
    assert photo.latitude == pytest.approx(YIMA[0], abs=1e-6)
    assert photo.longitude == pytest.approx(YIMA[1], abs=1e-6)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    for stored in (photo.jpeg, photo.thumb):
        image = reopen(stored)
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & image.info.keys()
        assert b"Exif" not in stored and b"Fangxin test phone" not in stored


def test_southern_western_gps_is_negative(camera_jpeg):
    photo = ingest(camera_jpeg(gps=(-33.8568, -70.6483)))
    assert (photo.latitude, photo.longitude) == pytest.approx((-33.8568, -70.6483), abs=1e-6)


def test_exif_offset_wins_over_the_beijing_default(camera_jpeg):
    photo = ingest(camera_jpeg(taken=TAKEN_LOCAL, offset="+05:00"))
    assert photo.taken_at == datetime(2024, 7, 1, 5, 30, tzinfo=UTC)


def test_photo_without_exif_has_no_time_or_place(plain_jpeg):
    photo = ingest(plain_jpeg)
    assert (photo.taken_at, photo.latitude, photo.longitude) == (None, None, None)


def test_blank_exif_time_is_ignored(camera_jpeg):
    assert ingest(camera_jpeg(taken="    :  :     :  :  ")).taken_at is None


def test_png_alpha_is_flattened_onto_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 100, 100))
    stored = reopen(ingest(encode(image, "PNG")).jpeg)
    assert stored.mode == "RGB"
    assert all(v > 245 for v in stored.getpixel((150, 50)))
    assert stored.getpixel((50, 50))[0] > 180


def test_palette_png_with_transparency_is_accepted():
    image = Image.new("P", (120, 80), 0)
    image.info["transparency"] = 0
    stored = reopen(ingest(encode(image, "PNG", transparency=0)).jpeg)
    assert all(v > 245 for v in stored.getpixel((60, 40)))


def test_sixteen_bit_grey_png_keeps_its_tones():
    image = Image.new("I;16", (64, 64), 32768)
    stored = reopen(ingest(encode(image, "PNG")).jpeg)
    assert 120 <= stored.getpixel((32, 32))[0] <= 136


def test_multi_picture_jpeg_from_a_phone_is_accepted():
    # Many Android cameras write MPO (JPEG + extra pictures); Pillow reports "MPO".
    out = io.BytesIO()
    photo_like((3200, 2400)).save(out, "MPO", save_all=True, append_images=[photo_like()])
    photo = ingest(out.getvalue())
    assert (photo.width, photo.height) == (1600, 1200)


def test_webp_is_accepted(tmp_path):
    data = encode(photo_like((1000, 800)), "WEBP", quality=80)
    photo = ingest(data)
    assert (photo.width, photo.height) == (1000, 800)
    assert reopen(photo.jpeg).format == "JPEG"


def test_embedded_colour_profile_is_applied_then_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (64, 64), (0, 128, 255)), "PNG", icc_profile=srgb)
    stored = reopen(ingest(data).jpeg)
    assert "icc_profile" not in stored.info
    assert stored.getpixel((32, 32)) == pytest.approx((0, 128, 255), abs=6)


def test_garbage_colour_profile_is_ignored():
    data = encode(Image.new("RGB", (64, 64), (0, 128, 255)), "PNG", icc_profile=b"not a profile")
    assert reopen(ingest(data).jpeg).getpixel((32, 32)) == pytest.approx((0, 128, 255), abs=6)


def heif_encoder_available() -> bool:
    """Whether this libheif build can write HEIC (needs an HEVC encoder such as x265)."""
    return bool(pillow_heif.libheif_info().get("HEIF"))


@pytest.mark.skipif(not heif_encoder_available(), reason="libheif has no HEVC encoder here")
def test_heic_is_accepted_with_metadata():
    exif = camera_exif(gps=YIMA, taken=TAKEN_LOCAL)
    data = encode(photo_like((2000, 1500)), "HEIF", quality=80, exif=exif.tobytes())
    assert data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1")
    photo = ingest(data)
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.taken_at == datetime(2024, 7, 1, 2, 30, tzinfo=UTC)
    assert photo.latitude == pytest.approx(YIMA[0], abs=1e-6)
    assert not reopen(photo.jpeg).getexif()


def test_same_photo_twice_gives_the_same_hash(camera_jpeg):
    data = camera_jpeg(gps=YIMA, taken=TAKEN_LOCAL)
    first, second = ingest(data), ingest(io.BytesIO(data))
    assert first.sha256 == second.sha256
    assert first.jpeg == second.jpeg and first.thumb == second.thumb
    assert len(first.sha256) == 64


def test_repr_does_not_dump_the_bytes(plain_jpeg):
    assert len(repr(ingest(plain_jpeg))) < 400
