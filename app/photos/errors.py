"""The photo pipeline's exception (PhotoError), a full store's (StorageFull), and their messages."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

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


STORAGE_FULL = _l("存储空间已满，请联系管理员")
# A full disk, or the account's quota: nothing the sender can fix by sending again.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(Exception):
    """The photo store has no room; the web layer answers 507 with `message` (app.web.plumbing)."""

    code = "storage_full"
    too_large = False

    def __init__(self) -> None:
        self.message = str(STORAGE_FULL)  # in the language of the request raising it
        super().__init__(self.message)


@contextmanager
def full_storage_raises() -> Iterator[None]:
    """Turn an OSError for a full disk or quota inside the block into StorageFull."""
    try:
        yield
    except OSError as err:
        if err.errno in FULL_ERRNOS:
            raise StorageFull() from err
        raise
