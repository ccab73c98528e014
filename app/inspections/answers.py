"""Checks before an inspection may be submitted; every message is shown to the inspector.

Answers are a mapping item id -> answer, where an answer is a mapping (or an object
such as an Answer row) with "result", and for a failure "handling" and "due_date"
(a date or an ISO "YYYY-MM-DD" string).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.checklists.model import Field, Item, Programme
from app.inspections.scoring import general_outcome
from app.models.inspection import HANDLINGS, RESULTS

TRUE_WORDS = {"1", "true", "on", "yes", "y", "是"}
FALSE_WORDS = {"0", "false", "off", "no", "n", "否"}


def part(answer: Any, name: str) -> Any:
    """One part of an answer given as a mapping or as an object with attributes."""
    if isinstance(answer, Mapping):
        return answer.get(name)
    return getattr(answer, name, None)


def results_of(answers: Mapping[str, Any]) -> dict[str, str | None]:
    """The mapping item id -> result that app.scoring takes."""
    return {item_id: part(answer, "result") for item_id, answer in answers.items()}


def parse_due_date(value: Any) -> date | None:
    """A due date from a date or an ISO string; None when blank; ValueError when invalid."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def validate_handling(
    handling: str | None, due_date: Any = None, inspected_on: date | None = None
) -> list[str]:
    """Messages for a failed item's handling: one of the four; a deadline needs its date."""
    if not handling:
        return [_("未选择处理方式")]
    if handling not in HANDLINGS:
        return [_("处理方式无效")]
    try:
        due = parse_due_date(due_date)
    except ValueError:
        return [_("整改期限格式无效")]
    if handling == "deadline" and due is None:
        return [_("书面限期整改须填写整改期限")]
    if due is not None and inspected_on is not None and due < inspected_on:
        return [_("整改期限不能早于检查日期")]
    return []


def validate_item(
    item: Item, answer: Any, photos: Collection[str], inspected_on: date | None
) -> list[str]:
    """Messages for one item's answer, each starting with the item text."""
    result = part(answer, "result") if answer is not None else None
    if not result:
        return [_("【%(item)s】未填写检查结果", item=item.text)]
    if result not in RESULTS:
        return [_("【%(item)s】检查结果无效", item=item.text)]
    if result != "fail":
        return []
    problems = validate_handling(part(answer, "handling"), part(answer, "due_date"), inspected_on)
    if item.photo_on_fail and item.id not in photos:
        problems.append(_("不合格须拍照留证"))
    return [_("【%(item)s】%(problem)s", item=item.text, problem=p) for p in problems]


def coerce_field(field: Field, raw: Any) -> Any:
    """A form string turned into the field's type; blank -> None; bad input returned as is."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if not text:
        return None
    if field.type == "bool":
        lowered = text.lower()
        return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else raw
    if field.type == "int":
        try:
            return int(text)
        except ValueError:
            return raw
    return text


def coerce_fields(programme: Programme, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The programme's fields from submitted form values (unknown keys dropped)."""
    return {f.id: coerce_field(f, raw.get(f.id)) for f in programme.fields}


def validate_field(field: Field, value: Any) -> list[str]:
    """Messages for one structured field's own value."""
    if value is None or value == "":
        return [_("【%(field)s】未填写", field=field.label)] if field.required else []
    if field.type == "bool" and not isinstance(value, bool):
        return [_("【%(field)s】应选择是或否", field=field.label)]
    if field.type == "choice":
        return [] if field.choice(value) else [_("【%(field)s】选项无效", field=field.label)]
    if field.type == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        return [_("【%(field)s】应为整数", field=field.label)]
    if field.type == "int" and field.min is not None and value < field.min:
        return [_("【%(field)s】不能小于%(min)s", field=field.label, min=field.min)]
    if field.type == "int" and field.max is not None and value > field.max:
        return [_("【%(field)s】不能大于%(max)s", field=field.label, max=field.max)]
    return []


def validate_fields(programme: Programme, fields: Mapping[str, Any]) -> list[str]:
    """Messages for the structured fields, then for "not more than" (le) links between them."""
    messages = [m for f in programme.fields for m in validate_field(f, fields.get(f.id))]
    if messages:
        return messages
    for f in programme.fields:
        value, limit = fields.get(f.id), fields.get(f.le) if f.le else None
        if isinstance(value, int) and isinstance(limit, int) and value > limit:
            limit_label = programme.field(f.le).label
            messages.append(
                _("【%(field)s】不能大于【%(limit)s】", field=f.label, limit=limit_label)
            )
    return messages


def validate_outcome(programme: Programme, answers: Mapping[str, Any]) -> list[str]:
    """基本符合 needs a written deadline on at least one failure (basic_requires_deadline)."""
    if not programme.param("basic_requires_deadline", True):
        return []
    if general_outcome(programme, results_of(answers)) != "basic":
        return []
    failed = [a for a in answers.values() if part(a, "result") == "fail"]
    if any(part(a, "handling") == "deadline" for a in failed):
        return []
    return [_("检查结果为基本符合，须对不合格项下达书面限期整改（至少一项选择“书面限期整改”）")]


def validate_answers(
    programme: Programme,
    answers: Mapping[str, Any],
    fields: Mapping[str, Any] | None = None,
    photos: Collection[str] = frozenset(),
    inspected_on: date | None = None,
) -> list[str]:
    """Every reason the inspection cannot be submitted yet; an empty list means it can."""
    known = {item.id for item in programme.items}
    messages = [_("未知检查项：%(id)s", id=i) for i in answers if i not in known]
    for item in programme.items:
        messages += validate_item(item, answers.get(item.id), photos, inspected_on)
    messages += validate_fields(programme, fields or {})
    if not messages:
        messages += validate_outcome(programme, answers)
    return messages
