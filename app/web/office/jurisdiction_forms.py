"""Forms for the office's jurisdiction pages: create, rename, move, merge, close, import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from app.models.jurisdiction import JURISDICTION_KINDS, TOP_KINDS
from app.registry.jurisdictions import MAX_NAME, open_units
from app.web.forms import strip

REQUIRED = _l("请填写此项。")


def kind_choices(top: bool | None = None) -> list[tuple[str, str]]:
    """Kinds for a select box (only one level's if asked)."""
    kinds = JURISDICTION_KINDS.items()
    return [(k, str(v)) for k, v in kinds if top is None or (k in TOP_KINDS) == top]


def top_choices(blank: bool = False) -> list[tuple[int, str]]:
    """Open street offices and zones (with a 'none' first if asked)."""
    tops = [(j.id, j.name) for j in open_units(top_only=True)]
    return [(0, _l("无（本身是街道办事处或开发区）")), *tops] if blank else tops


class JurisdictionForm(FlaskForm):
    code = StringField(
        _l("编码"), validators=[DataRequired(REQUIRED), Length(max=32)], filters=[strip]
    )
    name = StringField(
        _l("名称"), validators=[DataRequired(REQUIRED), Length(max=MAX_NAME)], filters=[strip]
    )
    kind = SelectField(_l("类型"), choices=[])
    parent_id = SelectField(_l("上级"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        self.parent_id.choices = top_choices(blank=True)


class RenameForm(FlaskForm):
    name = StringField(
        _l("名称"), validators=[DataRequired(REQUIRED), Length(max=MAX_NAME)], filters=[strip]
    )
    kind = SelectField(_l("类型"), choices=[])

    def __init__(self, *args, top: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices(top)


class MoveForm(FlaskForm):
    parent_id = SelectField(_l("调整到"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = top_choices()


class MergeForm(FlaskForm):
    target_id = SelectField(_l("并入"), coerce=int, choices=[])

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        top = unit.kind in TOP_KINDS if unit else True
        same_level = [j for j in open_units() if (j.kind in TOP_KINDS) == top]
        self.target_id.choices = [(j.id, j.full_name) for j in same_level if j != unit]


class CloseForm(FlaskForm):
    """Only the CSRF token: closing asks nothing more."""


class UploadForm(FlaskForm):
    file = FileField(_l("辖区文件（.xlsx 或 .csv）"), validators=[FileRequired(_l("请选择文件。"))])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}\.(csv|xlsx)$")])
