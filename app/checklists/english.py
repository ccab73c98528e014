"""The English twins of a programme's texts: checked complete, and carried onto old versions."""

from __future__ import annotations

import dataclasses

from app.checklists.model import ENGLISH_TWINS, Programme, freeze
from app.checklists.values import fail


def parts(programme: Programme) -> list[tuple[str, object]]:
    """Every part that has texts, with the place a loader error names."""
    found: list[tuple[str, object]] = [("programme", programme)]
    for section in programme.sections:
        found.append((f"section {section.id!r}", section))
        found += [(f"item {item.id!r}", item) for item in section.items]
    for f in programme.fields:
        found.append((f"field {f.id!r}", f))
        found += [(f"field {f.id!r} choice {c.value!r}", c) for c in f.choices]
    return found


def check_english(programme: Programme, source: str) -> None:
    """Refuse a programme where a Chinese text has no English twin, naming file and part."""
    for where, part in parts(programme):
        for name in ENGLISH_TWINS[type(part).__name__]:
            if (getattr(part, name) or "").strip() and not getattr(part, f"{name}_en").strip():
                fail(f"{source}: {where}", f"missing English '{name}_en' for its '{name}'")


def with_english(programme: Programme, current: Programme) -> Programme:
    """A stored version with the current programme's English texts, matched by id.

    The version and every Chinese text stay as stored; a part the current programme no
    longer has keeps no English (pages then show its Chinese text).
    """
    sections = tuple(_section(s, current) for s in programme.sections)
    fields = tuple(_field(f, current.field(f.id)) for f in programme.fields)
    changed = dataclasses.replace(
        programme,
        sections=sections,
        fields=fields,
        title_en=programme.title_en or current.title_en,
        _index=freeze({item.id: item for s in sections for item in s.items}),
    )
    object.__setattr__(changed, "version", programme.version)
    return changed


def _section(section, current: Programme):
    twin = next((s for s in current.sections if s.id == section.id), None)
    items = tuple(_item(i, current) for i in section.items)
    return dataclasses.replace(section, items=items, title_en=twin.title_en if twin else "")


def _item(item, current: Programme):
    twin = current._index.get(item.id)
    if twin is None:
        return item
    return dataclasses.replace(item, text_en=twin.text_en, guidance_en=twin.guidance_en)


def _field(f, twin):
    if twin is None:
        return f
    choices = tuple(_choice(c, twin.choice(c.value)) for c in f.choices)
    return dataclasses.replace(f, label_en=twin.label_en, help_en=twin.help_en, choices=choices)


def _choice(choice, twin):
    return dataclasses.replace(choice, label_en=twin.label_en) if twin else choice
