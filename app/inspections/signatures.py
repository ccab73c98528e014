"""Operators' finger signatures: a PNG data URL checked with Pillow and stored by content hash.

save_draft saves a draft with the signature sent along: a signature that cannot be stored
(bad, or no room in the store) is reported and the answers are saved all the same.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.inspections.drafts import save_answers
from app.models import Inspection
from app.photos.errors import StorageFull
from app.photos.storage import SIGNATURE_KEY_RE, put_checked, signature_storage

MAX_BYTES = 200 * 1024
PREFIX = "data:image/png;base64,"


class SignatureError(ValueError):
    """A signature that cannot be stored; the message is shown to the inspector."""


@dataclass(frozen=True, slots=True)
class DraftSaved:
    """What save_draft did: messages to show, and whether the store was full."""

    warnings: list[str] = field(default_factory=list)
    storage_full: bool = False


def save_draft(
    inspection: Inspection,
    answers: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, Any],
    people: Mapping[str, str],
    signature: str = "",
) -> DraftSaved:
    """Save the answers, and the signature when it can be stored (flushes nothing itself)."""
    key, warnings, full = None, [], False
    if signature:
        try:
            key = store(signature)
        except SignatureError as exc:
            warnings.append(str(exc))
        except StorageFull as exc:
            warnings.append(_("签名未能保存：%(reason)s。检查内容已保存。", reason=exc.message))
            full = True
    save_answers(inspection, answers, fields, people, signature_key=key)
    return DraftSaved(warnings, full)


def decode(data_url: str) -> bytes:
    """The PNG bytes of a data URL, refused unless it is a real PNG of at most 200 KB."""
    if not data_url.startswith(PREFIX):
        raise SignatureError(_("签名格式无效，请重新签名"))
    encoded = data_url[len(PREFIX) :]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise SignatureError(_("签名图片太大（不超过 200 KB），请清除后重新签名"))
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(_("签名格式无效，请重新签名")) from exc
    if len(data) > MAX_BYTES:
        raise SignatureError(_("签名图片太大（不超过 200 KB），请清除后重新签名"))
    check_png(data)
    return data


def check_png(data: bytes) -> None:
    """Raise SignatureError unless Pillow reads the bytes as a complete PNG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise SignatureError(_("签名须为 PNG 图片"))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise SignatureError(_("签名图片无法识别，请重新签名")) from exc


def store(data_url: str) -> str:
    """Store a signature data URL once (atomic and fsynced); returns its key (sha256 + .png).

    Raises SignatureError for a bad signature, StorageFull when the store has no room.
    """
    data = decode(data_url)
    key = hashlib.sha256(data).hexdigest() + ".png"
    storage = signature_storage(current_app.config)
    if not storage.exists(key):
        put_checked(storage, key, data)
    return key


def load(key: str | None) -> bytes | None:
    """A stored signature's PNG bytes, from whichever store is configured; None when missing."""
    if not key or not SIGNATURE_KEY_RE.fullmatch(key):
        return None
    try:
        return signature_storage(current_app.config).get(key)
    except FileNotFoundError:
        return None


def path_of(key: str | None) -> Path | None:
    """The file of a stored signature in the local store, or None for a missing or malformed key."""
    if not key or not SIGNATURE_KEY_RE.fullmatch(key):
        return None
    path = signature_storage(current_app.config).path(key)
    return path if path.is_file() else None
