"""The one exception the photo pipeline raises, with the user-facing messages."""

from __future__ import annotations

MB = 1024 * 1024

NOT_IMAGE = "文件不是图片，或格式不受支持（支持 JPEG、PNG、WebP、HEIC）"
EMPTY = "没有收到照片文件，请重新选择"
TRUNCATED = "图片文件不完整或已损坏（可能上传中断），请重拍或重新选择"


def too_large_message(max_bytes: int) -> str:
    """The message for a file over the byte limit, e.g. 20 MB."""
    return f"照片超过 {round(max_bytes / MB, 1):g} MB，请压缩后重试"


def too_many_pixels_message(max_pixels: int) -> str:
    """The message for an image over the pixel limit, in 万 (10 000) pixels."""
    return f"图片像素过多（超过 {max_pixels / 10_000:g} 万像素），已拒绝"


def bad_shape_message(max_side: int, max_aspect: int) -> str:
    """The message for an image with an absurd side length or aspect ratio."""
    return f"图片尺寸异常（边长超过 {max_side} 像素或长宽比超过 {max_aspect}:1），已拒绝"


class PhotoError(ValueError):
    """A refused upload: `str(err)` is the Chinese message to show, `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def too_large(self) -> bool:
        """True when the right HTTP answer is 413 rather than 400."""
        return self.code == "too_large"
