"""Jinja helpers that show data in the reader's language: checklist texts and audit events."""

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from app import checklists
from app.core import audit
from app.inspections.drafts import programme_of
from app.inspections.presence import is_data_key


def language() -> str:
    """The reader's language code ('en', 'zh_Hans_CN', ...)."""
    return str(get_locale() or "")


def tr(part, name: str) -> str:
    """A checklist part's text (item text, section title, field label ...) for the reader."""
    return checklists.localized(part, name, language())


def answer_text(answer) -> str:
    """A stored answer's item text for the reader (English by item id, else as stored)."""
    code = answer.inspection.programme
    return checklists.item_text(code, answer.item_id, answer.item_text, language())


def item_text(item_id: str | None, stored: str) -> str:
    """A stored item text for the reader, found by item id (unique across programmes)."""
    if not item_id:
        return stored
    return checklists.item_text(None, item_id, stored, language())


def entry_text(entry) -> str:
    """A ledger entry's item text for the reader."""
    return item_text(entry.item_id, entry.item_text or entry.item_id)


def answer_section(answer) -> str:
    """A stored answer's section title for the reader."""
    code = answer.inspection.programme
    return checklists.section_title(code, answer.item_id, answer.section, language())


def version_title(version) -> str:
    """A stored checklist version's title for the reader."""
    return checklists.programme_title(version.programme, version.title, language())


def inspection_fields(inspection) -> list[tuple[str, object]]:
    """An inspection's structured fields as (label, value) for the reader."""
    programme = programme_of(inspection)
    rows = []
    for field_id, value in (inspection.fields or {}).items():
        if not is_data_key(field_id):
            continue
        found = programme.field(field_id)
        rows.append((tr(found, "label") if found else field_id, field_value(found, value)))
    return rows


def field_value(found, value):
    """A stored field value as the reader reads it (yes/no, the choice's label)."""
    if value is None or value == "":
        return "—"
    if found is not None and found.type == "bool":
        return _("是") if value else _("否")
    choice = found.choice(value) if found is not None and found.type == "choice" else None
    return tr(choice, "label") if choice is not None else value


def init_app(app: Flask) -> None:
    """Register the helpers as template globals and filters."""
    app.jinja_env.globals.update(
        tr=tr,
        answer_text=answer_text,
        answer_section=answer_section,
        entry_text=entry_text,
        item_text=item_text,
        inspection_fields=inspection_fields,
        version_title=version_title,
    )
    app.jinja_env.filters.update(audit_summary=audit.describe, audit_changes=audit.field_changes)
