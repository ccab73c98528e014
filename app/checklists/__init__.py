"""The plan's programmes as data: one TOML file per programme, validated when loaded.

Call `load_programmes()` at start-up so a bad file stops the app with a ChecklistError
naming the file, the item and the problem. `shipped_programmes()` caches that load.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from app.checklists import loader
from app.checklists.english import with_english
from app.checklists.loader import known_categories, load_file, load_programmes
from app.checklists.model import (
    SCORING_RULES,
    ChecklistError,
    Choice,
    Field,
    Item,
    Programme,
    Section,
    localized,
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
    "item_text",
    "known_categories",
    "load_file",
    "load_programmes",
    "localized",
    "programme_from_snapshot",
    "programme_title",
    "programmes_for_category",
    "section_title",
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


def programme_from_snapshot(content: dict) -> Programme:
    """Rebuild a stored version (its own version and Chinese texts), with today's English."""
    programme = loader.programme_from_snapshot(content)
    current = shipped_programmes().get(programme.code)
    return with_english(programme, current) if current is not None else programme


def _english(language: str | None) -> bool:
    return bool(language) and str(language).lower().startswith("en")


def _current_item(code: str | None, item_id: str) -> Item | None:
    """The shipped item with this id, in programme `code` (None: in any programme)."""
    pool = shipped_programmes()
    if code is None:
        return next((p._index[item_id] for p in pool.values() if item_id in p._index), None)
    return pool[code]._index.get(item_id) if code in pool else None


def item_text(code: str | None, item_id: str, stored: str, language: str | None) -> str:
    """A stored answer's item text: in English today's twin of the item id, else as stored."""
    item = _current_item(code, item_id) if _english(language) else None
    return (item.text_en or stored) if item is not None else stored


def section_title(code: str, item_id: str, stored: str, language: str | None) -> str:
    """The stored section title of an answer's item, in English by today's programme."""
    item = _current_item(code, item_id) if _english(language) else None
    if item is None:
        return stored
    return shipped_programmes()[code].section(item.section).title_en or stored


def programme_title(code: str, stored: str, language: str | None) -> str:
    """A stored version's title: in English today's title_en, else as stored."""
    current = shipped_programmes().get(code) if _english(language) else None
    return (current.title_en or stored) if current is not None else stored
