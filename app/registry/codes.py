"""Establishment codes: the QR token and the short code, made, found and replaced.

- The *token* is what the QR encodes (``{base}/q/{token}``). It is random (128 bits), never
  derived from an id, so public URLs cannot be enumerated.
- The *short code* is printed under the QR for people whose phone cannot scan: 8 characters
  from an alphabet without look-alikes (no 0/O, 1/I/L), typed into a form.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from app.core import audit
from app.extensions import db
from app.models import Establishment, RetiredCode, User

TOKEN_BYTES = 16  # 128 random bits -> 22 url-safe characters
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22,64}")

# Digits and capitals minus 0 O 1 I L: nothing on a printed placard can be mistaken
# for another character of the alphabet. 31 symbols ** 8 ~ 8.5e11 codes (~39.6 bits).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8
SHORT_CODE_RE = re.compile(f"[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}")
# Separators people type or copy between groups: spaces, hyphens and dashes of every width,
# and the stops and commas a chat message or an IME leaves around a code (。．，、 after NFKC).
_SEPARATORS_RE = re.compile(r"[\s\-_.·‐‑‒–—―−。，,、]+")
_TOKEN_LENGTH = 22
_TOKEN_PREFIX_RE = re.compile(f"[A-Za-z0-9_-]{{{_TOKEN_LENGTH},}}")


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


def establishment_for_token(token: str) -> Establishment | None:
    """The establishment whose current QR token this is."""
    if not is_token(token):
        return None
    return db.session.scalar(db.select(Establishment).where(Establishment.qr_token == token))


def is_retired_token(token: str) -> bool:
    """Whether the token was once an establishment's and has been replaced."""
    if not is_token(token):
        return False
    found = db.session.scalar(db.select(RetiredCode.id).where(RetiredCode.qr_token == token))
    return found is not None


def recover_token(text: str) -> str | None:
    """The known token (current or replaced) a damaged link still starts with, else None.

    A chat app or a copy often glues a full stop, a bracket or words to the end of the link;
    the token's own 22 characters are still in front, full-width ones after NFKC.
    """
    match = _TOKEN_PREFIX_RE.match(unicodedata.normalize("NFKC", text or "").strip())
    if match is None:
        return None
    token = match.group()[:_TOKEN_LENGTH]
    if establishment_for_token(token) is not None or is_retired_token(token):
        return token
    return None


def token_for_short_code(text: str) -> str | None:
    """The current QR token behind a typed short code, or None (malformed or unknown)."""
    code = normalise_short_code(text)
    if not is_short_code(code):
        return None
    return db.session.scalar(
        db.select(Establishment.qr_token).where(Establishment.short_code == code)
    )


def is_retired_short_code(text: str) -> bool:
    """Whether a typed short code belonged to a replaced placard."""
    code = normalise_short_code(text)
    if not is_short_code(code):
        return False
    found = db.session.scalar(db.select(RetiredCode.id).where(RetiredCode.short_code == code))
    return found is not None


def replace_codes(actor: User, est: Establishment) -> RetiredCode:
    """Give an establishment a new token and short code, retiring the old ones (audited)."""
    retired = RetiredCode(qr_token=est.qr_token, short_code=est.short_code, establishment_id=est.id)
    db.session.add(retired)
    old_code = est.short_code
    est.qr_token, est.short_code = new_token(), new_short_code()
    audit.record(
        actor,
        "replace_code",
        est,
        audit.message("establishment.replace_code", name=est.name),
        {"short_code": [old_code, est.short_code]},
    )
    return retired
