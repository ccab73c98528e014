"""The plan's programmes as data: one TOML file per programme, validated when loaded.

Call `load_programmes()` at start-up so a bad file stops the app with a ChecklistError
naming the file, the item and the problem. `shipped_programmes()` caches that load.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from app.checklists.loader import (
    known_categories,
    load_file,
    load_programmes,
    programme_from_snapshot,
)
from app.checklists.model import (
    SCORING_RULES,
    ChecklistError,
    Choice,
    Field,
    Item,
    Programme,
    Section,
)

__all__ = [
    "SCORING_RULES",
    "ChecklistError",
    "Choice",
    "Field",
    "Item",
    "Programme",
    "Section",
    "get_programme",
    "known_categories",
    "load_file",
    "load_programmes",
    "programme_from_snapshot",
    "programmes_for_category",
    "shipped_programmes",
]


@cache
def shipped_programmes() -> Mapping[str, Programme]:
    """The programmes under app/checklists/, loaded once (read-only mapping by code)."""
    return MappingProxyType(load_programmes())


def get_programme(code: str) -> Programme:
    """A shipped programme by code (KeyError when unknown)."""
    return shipped_programmes()[code]


def programmes_for_category(
    category: str, programmes: Mapping[str, Programme] | None = None
) -> list[Programme]:
    """The programmes that apply to an establishment category, ordered by code."""
    pool = shipped_programmes() if programmes is None else programmes
    return [p for code, p in sorted(pool.items()) if p.applies_to(category)]


def inspected_categories(programmes: Mapping[str, Programme] | None = None) -> tuple[str, ...]:
    """The establishment categories some programme applies to: those that can be visited."""
    pool = shipped_programmes() if programmes is None else programmes
    return tuple(sorted({c for p in pool.values() for c in p.categories}))
