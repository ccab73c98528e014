"""Read programme TOML files and refuse any that is malformed, naming file, item and problem."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.checklists.english import check_english
from app.checklists.model import (
    DEFAULT_MAX_GENERAL_FAILURES,
    FIELD_TYPES,
    SCORING_RULES,
    Choice,
    Field,
    Item,
    Programme,
    Section,
    content_of,
    freeze,
    version_of,
)
from app.checklists.values import fail, flag, identifier, integer, text, unknown_keys

DEFAULT_DIRECTORY = Path(__file__).parent
TOP_KEYS = {"code", "title", "title_en", "plan_task", "plan_target", "categories"}
TOP_KEYS |= {"scoring", "fields", "sections"}
SECTION_KEYS = {"id", "title", "title_en", "items"}
ITEM_KEYS = {"id", "text", "text_en", "guidance", "guidance_en", "key", "photo_on_fail", "points"}
FIELD_KEYS = {"id", "label", "label_en", "type", "required", "choices", "min", "max", "le"}
FIELD_KEYS |= {"help", "help_en"}
CHOICE_KEYS = {"value", "label", "label_en", "points"}
# Parameters each rule cannot do without (the rest have defaults in app.scoring).
RULE_PARAMS = {
    "general": (),
    "five_goods": (),
    "market_risk": ("static_max", "dynamic_max", "grade_max"),
    "catering": ("start", "grade_min", "key_failure_limit"),
}
CATERING_GRADES = ("excellent", "good", "fair")
INT_PARAMS = ("max_general_failures", "key_points", "general_points", "static_max")
INT_PARAMS += ("dynamic_max", "start", "key_failure_limit", "new_permit_grace_months")
BOOL_PARAMS = ("basic_requires_deadline", "all_na_section_passes")


def known_categories() -> tuple[str, ...]:
    """Establishment category codes (the keys of app.models.establishment.CATEGORIES)."""
    from app.models.establishment import CATEGORIES

    return tuple(CATEGORIES)


def load_programmes(
    directory: str | Path | None = None,
    categories: Iterable[str] | None = None,
    english: bool | None = None,
) -> dict[str, Programme]:
    """Load and validate every *.toml programme in the directory, keyed by programme code.

    english: every text needs its English twin (default: for the shipped directory only).
    """
    directory = Path(directory) if directory else DEFAULT_DIRECTORY
    english = directory == DEFAULT_DIRECTORY if english is None else english
    allowed = tuple(categories) if categories is not None else known_categories()
    programmes: dict[str, Programme] = {}
    for path in sorted(directory.glob("*.toml")):
        programme = load_file(path, allowed)
        if english:
            check_english(programme, path.name)
        if programme.code in programmes:
            other = programmes[programme.code].source
            fail(path.name, f"duplicate programme code '{programme.code}' (also in {other})")
        programmes[programme.code] = programme
    return programmes


def load_file(path: Path, categories: Iterable[str] | None = None) -> Programme:
    """Load and validate one programme file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        fail(path.name, f"not valid TOML: {exc}")
    if "version" in data:
        fail(path.name, "'version' is computed from the content; do not write it in the file")
    allowed = tuple(categories) if categories is not None else known_categories()
    return programme_from_dict(data, path.name, allowed)


def programme_from_snapshot(content: dict) -> Programme:
    """Rebuild a programme from ChecklistVersion.content, keeping its stored version."""
    data = {k: v for k, v in content.items() if k != "version"}
    source = f"snapshot {content.get('code', '?')}@{content.get('version', '?')}"
    programme = programme_from_dict(data, source, categories=None)
    version = content.get("version") or programme.version
    object.__setattr__(programme, "version", version)
    return programme


def programme_from_dict(
    data: dict, source: str, categories: Iterable[str] | None = None
) -> Programme:
    """Validate parsed data and build the Programme; categories=None skips the category check."""
    unknown_keys(data, TOP_KEYS, source)
    rule, params = parse_scoring(data.get("scoring"), source)
    fields = parse_fields(data.get("fields", []), source)
    sections = parse_sections(data.get("sections"), source, params)
    programme = Programme(
        code=identifier(data, "code", source),
        title=text(data, "title", source),
        title_en=text(data, "title_en", source, required=False),
        plan_task=text(data, "plan_task", source, required=False),
        plan_target=integer(data, "plan_target", source, required=False),
        categories=parse_categories(data.get("categories"), source, categories),
        scoring_rule=rule,
        params=freeze(params),
        sections=sections,
        fields=fields,
        source=source,
        _index=freeze({item.id: item for s in sections for item in s.items}),
    )
    check_rule(programme, source)
    object.__setattr__(programme, "version", version_of(content_of(programme)))
    return programme


def parse_categories(value: Any, source: str, allowed: Iterable[str] | None) -> tuple[str, ...]:
    """The establishment categories the programme applies to."""
    if not isinstance(value, list) or not value:
        fail(source, "'categories' must be a non-empty list of category codes")
    if any(not isinstance(code, str) for code in value):
        fail(source, "'categories' must be a list of category codes")
    for code in value:
        if allowed is not None and code not in allowed:
            fail(source, f"unknown category {code!r} (known: {', '.join(allowed)})")
    return tuple(value)


def parse_scoring(value: Any, source: str) -> tuple[str, dict]:
    """The scoring rule name and its parameters."""
    if not isinstance(value, dict):
        fail(source, "missing [scoring] table with a 'rule'")
    params = dict(value)
    rule = params.pop("rule", None)
    if rule not in SCORING_RULES:
        fail(source, f"unknown scoring rule {rule!r} (known: {', '.join(SCORING_RULES)})")
    for name in RULE_PARAMS[rule]:
        if name not in params:
            fail(source, f"scoring rule '{rule}' needs parameter '{name}'")
    params.setdefault("max_general_failures", DEFAULT_MAX_GENERAL_FAILURES)
    for name in INT_PARAMS:
        integer(params, name, f"{source}: [scoring]", required=False)
    for name in BOOL_PARAMS:
        flag(params, name, f"{source}: [scoring]")
    return rule, params


def parse_sections(value: Any, source: str, params: dict) -> tuple[Section, ...]:
    """The sections in order, each with its items; item ids unique across the programme."""
    if not isinstance(value, list) or not value:
        fail(source, "needs at least one [[sections]]")
    sections, seen = [], set()
    for raw in value:
        where = f"{source}: section {raw.get('id', '?')!r}" if isinstance(raw, dict) else source
        if not isinstance(raw, dict):
            fail(where, "each section must be a table")
        unknown_keys(raw, SECTION_KEYS, where)
        section_id = identifier(raw, "id", where)
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            fail(where, "section has no items")
        parsed = tuple(parse_item(i, section_id, source, params, seen) for i in items)
        title_en = text(raw, "title_en", where, required=False)
        sections.append(Section(section_id, text(raw, "title", where), parsed, title_en))
    return tuple(sections)


def parse_item(raw: Any, section_id: str, source: str, params: dict, seen: set) -> Item:
    """One item; default points come from the rule's key_points/general_points."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"{source}: item {item_id!r}"
    if not isinstance(raw, dict):
        fail(f"{source}: section {section_id!r}", "each item must be a table")
    unknown_keys(raw, ITEM_KEYS, where)
    identifier(raw, "id", where)
    if item_id in seen:
        fail(where, "duplicate item id")
    seen.add(item_id)
    key = flag(raw, "key", where, required=True)
    default_points = params.get("key_points" if key else "general_points", 0)
    points = integer(raw, "points", where, required=False)
    return Item(
        id=item_id,
        text=text(raw, "text", where),
        section=section_id,
        key=key,
        photo_on_fail=flag(raw, "photo_on_fail", where),
        guidance=text(raw, "guidance", where, required=False),
        points=default_points if points is None else points,
        text_en=text(raw, "text_en", where, required=False),
        guidance_en=text(raw, "guidance_en", where, required=False),
    )


def parse_fields(value: Any, source: str) -> tuple[Field, ...]:
    """The structured fields; ids unique, 'le' pointing at another int field."""
    if not isinstance(value, list):
        fail(source, "'fields' must be a list of tables")
    fields = tuple(parse_field(raw, source) for raw in value)
    ids = [f.id for f in fields]
    for f in fields:
        where = f"{source}: field {f.id!r}"
        if ids.count(f.id) > 1:
            fail(where, "duplicate field id")
        if f.le is not None and f.le not in ids:
            fail(where, f"'le' names unknown field {f.le!r}")
    return fields


def parse_field(raw: Any, source: str) -> Field:
    """One structured field."""
    where = f"{source}: field {raw.get('id', '?')!r}" if isinstance(raw, dict) else source
    if not isinstance(raw, dict):
        fail(where, "each field must be a table")
    unknown_keys(raw, FIELD_KEYS, where)
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        fail(where, f"bad field type {kind!r} (one of {', '.join(FIELD_TYPES)})")
    choices = parse_choices(raw.get("choices"), where) if kind == "choice" else ()
    if kind != "choice" and "choices" in raw:
        fail(where, "only a 'choice' field has choices")
    return Field(
        id=identifier(raw, "id", where),
        label=text(raw, "label", where),
        type=kind,
        required=flag(raw, "required", where),
        choices=choices,
        min=integer(raw, "min", where, required=False),
        max=integer(raw, "max", where, required=False),
        le=text(raw, "le", where, required=False) or None,
        help=text(raw, "help", where, required=False),
        label_en=text(raw, "label_en", where, required=False),
        help_en=text(raw, "help_en", where, required=False),
    )


def parse_choices(value: Any, where: str) -> tuple[Choice, ...]:
    """The allowed values of a choice field, each with its points."""
    if not isinstance(value, list) or not value:
        fail(where, "a 'choice' field needs a non-empty 'choices' list")
    choices = []
    for raw in value:
        if not isinstance(raw, dict):
            fail(where, "each choice must be a table with value, label and points")
        unknown_keys(raw, CHOICE_KEYS, where)
        points = integer(raw, "points", where, required=False) or 0
        label_en = text(raw, "label_en", where, required=False)
        value, label = text(raw, "value", where), text(raw, "label", where)
        choices.append(Choice(value, label, points, label_en))
    if len({c.value for c in choices}) != len(choices):
        fail(where, "duplicate choice value")
    return tuple(choices)


def check_rule(programme: Programme, source: str) -> None:
    """Rule-specific consistency of the parameters."""
    if programme.scoring_rule == "market_risk":
        check_bands(programme.param("grade_max"), "grade_max", source)
        worst = sum(max(c.points for c in f.choices) for f in programme.fields if f.choices)
        if worst > programme.param("static_max"):
            fail(source, f"static factors can add {worst} points, above static_max")
    if programme.scoring_rule == "catering":
        bands = programme.param("grade_min")
        check_bands(bands, "grade_min", source)
        if set(bands) != set(CATERING_GRADES):
            fail(source, f"'grade_min' needs exactly {', '.join(CATERING_GRADES)}")


def check_bands(bands: Any, name: str, source: str) -> None:
    """A non-empty table of grade -> integer bound."""
    if not hasattr(bands, "items") or not bands:
        fail(source, f"'{name}' must be a table of grade = bound")
    for grade, bound in bands.items():
        if not isinstance(bound, int) or isinstance(bound, bool):
            fail(source, f"'{name}.{grade}' must be an integer")
