"""The checklist form's names, read into the plain data the services take, and back.

Names: r.<item> result, n.<item> note, h.<item> handling, d.<item> due date,
f.<field> structured field, second_inspector, operator_rep, signature (PNG data URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.checklists import Programme
from app.inspections import record_form
from app.inspections.drafts import PEOPLE
from app.inspections.presence import is_data_key
from app.models import Inspection

PARTS = {"r": "result", "n": "note", "h": "handling", "d": "due_date"}


def answers_from_form(programme: Programme, form: Mapping[str, str]) -> dict[str, dict]:
    """Answers for every item the form mentions (a partial form saves partially)."""
    answers = {}
    for item in programme.items:
        keys = {part: f"{prefix}.{item.id}" for prefix, part in PARTS.items()}
        if any(key in form for key in keys.values()):
            answers[item.id] = {part: form.get(key, "") for part, key in keys.items()}
    return answers


def fields_from_form(programme: Programme, form: Mapping[str, str]) -> dict[str, str]:
    """The structured fields the form mentions, as typed."""
    return {f.id: form[f"f.{f.id}"] for f in programme.fields if f"f.{f.id}" in form}


def people_from_form(form) -> dict[str, str]:
    """The people on site and the record fields (type, refusal to sign), when present.

    The refusal box is a hidden "0" followed by the checkbox's "1": the last one sent counts.
    """
    people = {name: form[name] for name in (*PEOPLE, *record_form.RECORD_FIELDS) if name in form}
    if "sign_refused" in form and hasattr(form, "getlist"):
        people["sign_refused"] = form.getlist("sign_refused")[-1]
    return people


def uploads_from_form(programme: Programme, form) -> dict[str, list[str]]:
    """Finished resumable uploads the page sent before the form: `upload-<item>` tokens."""
    found = {item.id: form.getlist(f"upload-{item.id}") for item in programme.items}
    return {item_id: [t for t in tokens if t] for item_id, tokens in found.items() if any(tokens)}


def values_of(inspection: Inspection) -> dict[str, Any]:
    """What the checklist form shows for a stored inspection."""
    answers = {
        a.item_id: {
            "result": a.result,
            "note": a.note,
            "handling": a.handling,
            "due_date": a.due_date.isoformat() if a.due_date else "",
        }
        for a in inspection.answers
    }
    fields = {k: _shown(v) for k, v in (inspection.fields or {}).items() if is_data_key(k)}
    people = {name: getattr(inspection, name) or "" for name in PEOPLE}
    people |= record_form.values_of(inspection)
    return {"answers": answers, "fields": fields, "people": people}


def values_from_form(programme: Programme, form: Mapping[str, str]) -> dict[str, Any]:
    """What the checklist form shows again after a refused post: exactly what was typed."""
    return {
        "answers": answers_from_form(programme, form),
        "fields": fields_from_form(programme, form),
        "people": people_from_form(form),
    }


def _shown(value: Any) -> str:
    if value is True:
        return "1"
    if value is False:
        return "0"
    return "" if value is None else str(value)
