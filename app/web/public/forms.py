"""The public complaint form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.public.complaints import TEXT_MAX, clean_text, normalise_phone


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _clean(value):
    # A browser sends each line break as CRLF; its maxlength counts it once, so must we.
    return clean_text(value) if isinstance(value, str) else value


class ComplaintForm(FlaskForm):
    text = TextAreaField(
        _l("举报内容"),
        filters=[_clean],
        validators=[
            DataRequired(_l("请写下您看到的问题。")),
            Length(max=TEXT_MAX, message=_l("举报内容不能超过 %(max)d 个字。", max=TEXT_MAX)),
        ],
    )
    phone = StringField(_l("联系电话（选填）"), filters=[_strip])

    def validate_phone(self, field) -> None:
        if not field.data:
            return
        phone = normalise_phone(field.data)
        if phone is None:
            raise ValidationError(
                _l("请填写有效的手机号（11 位）或固定电话（区号-号码），也可以不填。")
            )
        field.data = phone
