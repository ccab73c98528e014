"""The one exception the photo pipeline raises, with the user-facing messages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MB = 1024 * 1024

NOT_IMAGE = _l("文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）")
EMPTY = _l("没有收到照片文件，请重新选择")
TRUNCATED = _l("图片文件不完整或已损坏（可能上传中断），请重拍或重新选择")


def too_large_message(max_bytes: int) -> str:
    """The message for a file over the byte limit, e.g. 20 MB."""
    mb = format(round(max_bytes / MB, 1), "g")
    return _("照片超过 %(mb)s MB，请压缩后重试", mb=mb)


def too_many_pixels_message(max_pixels: int) -> str:
    """The message for an image over the pixel limit, in 万 (10 000) pixels."""
    wan = format(max_pixels / 10_000, "g")
    return _("图片像素过多（超过 %(n)s 万像素），已拒绝", n=wan)


def bad_shape_message(max_side: int, max_aspect: int) -> str:
    """The message for an image with an absurd side length or aspect ratio."""
    return _(
        "图片尺寸异常（边长超过 %(side)s 像素或长宽比超过 %(aspect)s:1），已拒绝",
        side=max_side,
        aspect=max_aspect,
    )


class PhotoError(ValueError):
    """A refused upload: `str(err)` is the Chinese message to show, `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        message = str(message)  # a lazy message takes the language of the request raising it
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def too_large(self) -> bool:
        """True when the right HTTP answer is 413 rather than 400."""
        return self.code == "too_large"
