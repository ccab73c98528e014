"""Forms of the establishment import: the upload, the column mapping step, the confirm."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from openpyxl.utils import get_column_letter
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Regexp

from app.registry.import_columns import FIELD_LABELS, REQUIRED

TOKEN = r"^[A-Za-z0-9_-]{16,64}\.(csv|xlsx)$"


class UploadForm(FlaskForm):
    file = FileField(_l("名录文件（.xlsx 或 .csv）"), validators=[FileRequired(_l("请选择文件。"))])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN)])
    mode = HiddenField(validators=[AnyOf(["all", "good"])])


class ColumnsForm(FlaskForm):
    """One select per field of ours, listing the file's columns; filled in by columns_form."""

    def chosen(self) -> dict[str, int]:
        """The fields the clerk gave a column, as field -> column index."""
        return {name: int(f.data) for name, f in self.field_map() if f.data not in ("", None)}

    def field_map(self):
        """Our fields' selects in order, as (field, select)."""
        return [(name, self[name]) for name in FIELD_LABELS]

    def validate(self, extra_validators=None) -> bool:
        """Every required field has a column, and no column is given to two fields."""
        ok = super().validate(extra_validators)
        for name in REQUIRED:
            if self[name].data in ("", None):
                self[name].errors.append(_l("请选择此项对应的列。"))
                ok = False
        taken: dict[str, str] = {}
        for name, select in self.field_map():
            if select.data and select.data in taken:
                select.errors.append(
                    _l("这一列已对应“%(f)s”。", f=FIELD_LABELS[taken[select.data]])
                )
                ok = False
            taken.setdefault(select.data, name)
        return ok


def columns_form(header: list[str], columns: dict[str, int]) -> ColumnsForm:
    """The mapping form for a file's header, preset with the columns recognised."""
    choices = [SelectChoice("", _l("（无此列）"))] + [
        SelectChoice(str(i), f"{get_column_letter(i + 1)}：{title or '—'}")
        for i, title in enumerate(header)
    ]

    class Form(ColumnsForm):
        pass

    for name, label in FIELD_LABELS.items():
        default = str(columns[name]) if name in columns else ""
        setattr(Form, name, SelectField(label, choices=choices, default=default))
    return Form()
