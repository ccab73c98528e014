"""The shape of a plan programme: frozen dataclasses, its snapshot and its version hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# Scoring rules a programme may name; app.scoring has one function per rule.
SCORING_RULES = ("general", "five_goods", "market_risk", "catering")
FIELD_TYPES = ("bool", "int", "choice")
DEFAULT_MAX_GENERAL_FAILURES = 8


class ChecklistError(ValueError):
    """A programme file that cannot be used; the message names file, item and problem."""


@dataclass(frozen=True)
class Item:
    """One checklist item (检查项)."""

    id: str
    text: str
    section: str
    key: bool = False
    photo_on_fail: bool = False
    guidance: str = ""
    points: int = 0
    text_en: str = dataclasses.field(default="", compare=False)
    guidance_en: str = dataclasses.field(default="", compare=False)

    def snapshot(self) -> dict:
        """The item as plain data (section is implied by where it sits)."""
        return {
            "id": self.id,
            "text": self.text,
            "guidance": self.guidance,
            "key": self.key,
            "photo_on_fail": self.photo_on_fail,
            "points": self.points,
        }


@dataclass(frozen=True)
class Section:
    """A titled group of items."""

    id: str
    title: str
    items: tuple[Item, ...]
    title_en: str = dataclasses.field(default="", compare=False)

    def snapshot(self) -> dict:
        """The section and its items as plain data."""
        return {"id": self.id, "title": self.title, "items": [i.snapshot() for i in self.items]}


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice field, with its risk points (market static factors)."""

    value: str
    label: str
    points: int = 0
    label_en: str = dataclasses.field(default="", compare=False)


@dataclass(frozen=True)
class Field:
    """A structured value recorded with the inspection (bool, int or choice)."""

    id: str
    label: str
    type: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    le: str | None = None  # an int field must be <= the value of this other field
    help: str = ""
    label_en: str = dataclasses.field(default="", compare=False)
    help_en: str = dataclasses.field(default="", compare=False)

    def choice(self, value: Any) -> Choice | None:
        """The choice with this value, or None."""
        return next((c for c in self.choices if c.value == value), None)

    def snapshot(self) -> dict:
        """The field as plain data, optional parts only when set."""
        data: dict[str, Any] = {"id": self.id, "label": self.label, "type": self.type}
        data["required"] = self.required
        if self.choices:
            data["choices"] = [
                {"value": c.value, "label": c.label, "points": c.points} for c in self.choices
            ]
        for name in ("min", "max", "le"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.help:
            data["help"] = self.help
        return data


@dataclass(frozen=True, eq=False)
class Programme:
    """A plan programme: its sections and items, fields, scoring rule and version."""

    code: str
    title: str
    categories: tuple[str, ...]
    scoring_rule: str
    params: MappingProxyType
    sections: tuple[Section, ...]
    fields: tuple[Field, ...] = ()
    title_en: str = ""
    plan_task: str = ""
    plan_target: int | None = None
    version: str = ""
    source: str = ""
    _index: MappingProxyType = dataclasses.field(default_factory=MappingProxyType, repr=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in checklist order."""
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when unknown)."""
        return self._index[item_id]

    def section(self, section_id: str) -> Section:
        """The section with this id (KeyError when unknown)."""
        return next(s for s in self.sections if s.id == section_id)

    def field(self, field_id: str) -> Field | None:
        """The structured field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    def param(self, name: str, default: Any = None) -> Any:
        """A scoring parameter from the file."""
        return self.params.get(name, default)

    def applies_to(self, category: str) -> bool:
        """Whether establishments of this category are inspected with this programme."""
        return category in self.categories

    def snapshot(self) -> dict:
        """The full content as JSON-serialisable data, with its version (ChecklistVersion)."""
        return {**content_of(self), "version": self.version}


def content_of(programme: Programme) -> dict:
    """The programme's content without its version: what the version hashes.

    English texts (text_en, title_en of sections, label_en, ...) are a translation, not a
    new checklist: they stay out, so adding or fixing one keeps every version id. The
    programme's own title_en was there from the start and stays.
    """
    return {
        "code": programme.code,
        "title": programme.title,
        "title_en": programme.title_en,
        "plan_task": programme.plan_task,
        "plan_target": programme.plan_target,
        "categories": list(programme.categories),
        "scoring": {"rule": programme.scoring_rule, **thaw(programme.params)},
        "fields": [f.snapshot() for f in programme.fields],
        "sections": [s.snapshot() for s in programme.sections],
    }


# The attributes with an English twin, per kind of checklist part.
ENGLISH_TWINS = {
    "Item": ("text", "guidance"),
    "Section": ("title",),
    "Field": ("label", "help"),
    "Choice": ("label",),
    "Programme": ("title",),
}


def localized(part: Any, name: str, language: str | None) -> str:
    """A part's text in a language: its English twin for 'en' when there is one, else Chinese."""
    chinese = getattr(part, name, "") or ""
    if language and str(language).lower().startswith("en"):
        return getattr(part, f"{name}_en", "") or chinese
    return chinese


def version_of(content: dict) -> str:
    """First 12 hex digits of the sha256 of the canonical JSON of the content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def freeze(value: Any) -> Any:
    """Read-only copy of parsed data: mappings become proxies, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain JSON-ready copy of frozen data."""
    if isinstance(value, MappingProxyType | dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value
