"""Form pieces every blueprint uses: stripped text fields, jurisdiction choices, a note."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.text import clean_text
from app.extensions import db
from app.models import Jurisdiction

MAX_TEXT = 2000


def text(label, required=False, max_len=200):
    """A stripped text field."""
    checks = [DataRequired(_l("请填写此项。"))] if required else [Optional()]
    return StringField(label, validators=[*checks, Length(max=max_len)], filters=[strip])


def strip(value):
    """Typed text trimmed (full-width spaces too), control characters dropped, lines kept."""
    return clean_text(value, keep_lines=True) if isinstance(value, str) else value


def jurisdiction_choices() -> list[tuple[int, str]]:
    """Jurisdictions for a select box, each community under its street office."""
    rows = db.session.scalars(
        db.select(Jurisdiction).where(Jurisdiction.active.is_(True)).order_by(Jurisdiction.code)
    )
    return [(j.id, j.full_name) for j in rows]


class NoteForm(FlaskForm):
    note = TextAreaField(_l("说明"), validators=[Length(max=MAX_TEXT)], filters=[strip])
