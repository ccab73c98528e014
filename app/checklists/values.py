"""Typed reads from parsed TOML tables; each problem raises a ChecklistError naming its place."""

from __future__ import annotations

import re
from typing import NoReturn

from app.checklists.model import ChecklistError

ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


def unknown_keys(data: dict, allowed: set, where: str) -> None:
    """Refuse keys the format does not know (usually a typo)."""
    extra = sorted(set(data) - allowed)
    if extra:
        fail(where, f"unknown key(s) {', '.join(extra)}")


def text(data: dict, name: str, where: str, required: bool = True) -> str:
    """A string value; required ones must be non-blank."""
    value = data.get(name)
    if value is None and not required:
        return ""
    if value is not None and not isinstance(value, str):
        fail(where, f"'{name}' must be text, not {value!r}")
    if required and not (value or "").strip():
        fail(where, f"missing {name}")
    return value


def identifier(data: dict, name: str, where: str) -> str:
    """A stable id: lower-case letters, digits and underscores, dot-separated."""
    value = text(data, name, where)
    if not ID_PATTERN.match(value):
        fail(where, f"bad {name} {value!r} (use a-z, 0-9, _ and dots)")
    return value


def flag(data: dict, name: str, where: str, required: bool = False) -> bool:
    """A true/false value; strings like "yes" are refused."""
    value = data.get(name)
    if value is None and not required:
        return False
    if not isinstance(value, bool):
        fail(where, f"'{name}' must be true or false, not {value!r}")
    return value


def integer(data: dict, name: str, where: str, required: bool = True) -> int | None:
    """A whole number (booleans refused)."""
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        fail(where, f"'{name}' must be a whole number, not {value!r}")
    return value


def fail(where: str, problem: str) -> NoReturn:
    """Raise the ChecklistError for a problem at a place."""
    raise ChecklistError(f"{where}: {problem}")
