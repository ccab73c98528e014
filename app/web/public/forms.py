"""The public complaint form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from app.public.complaints import TEXT_MAX, clean_text, normalise_phone


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _clean(value):
    # A browser sends each line break as CRLF; its maxlength counts it once, so must we.
    return clean_text(value) if isinstance(value, str) else value


NAME_MAX = 64
# Chosen by the citizen; the one-line explanations are shown with the choices.
KIND_CHOICES = [
    SelectChoice("report", _l("举报：反映单位违法违规问题，由监管部门核查")),
    SelectChoice("complaint", _l("投诉：您本人与该单位的消费纠纷，请求调解处理")),
]


def report_text() -> TextAreaField:
    """The report's text box, the same on the complaint and the insider forms."""
    return TextAreaField(
        _l("举报内容"),
        filters=[_clean],
        validators=[
            DataRequired(_l("请写下您看到的问题。")),
            Length(max=TEXT_MAX, message=_l("举报内容不能超过 %(max)d 个字。", max=TEXT_MAX)),
        ],
    )


class ComplaintForm(FlaskForm):
    kind = RadioField(
        _l("类型"),
        choices=KIND_CHOICES,
        default="report",
        validate_choice=True,
    )
    reporter_name = StringField(
        _l("姓名（选填，实名举报）"),
        filters=[_strip],
        validators=[Length(max=NAME_MAX, message=_l("姓名不能超过 %(max)d 个字。", max=NAME_MAX))],
    )
    text = report_text()
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


class InsiderForm(FlaskForm):
    """内部举报: the report, and who sends it (all optional; kept apart, admins only)."""

    text = report_text()
    name = StringField(
        _l("姓名（选填）"),
        filters=[_strip],
        validators=[Length(max=NAME_MAX, message=_l("姓名不能超过 %(max)d 个字。", max=NAME_MAX))],
    )
    contact = StringField(
        _l("联系方式（选填）"),
        filters=[_strip],
        validators=[Length(max=64, message=_l("联系方式不能超过 %(max)d 个字。", max=64))],
    )
    relation = StringField(
        _l("与该单位的关系（选填）"),
        filters=[_strip],
        validators=[Length(max=100, message=_l("与该单位的关系不能超过 %(max)d 个字。", max=100))],
    )


class ReceiptForm(FlaskForm):
    """The receipt-code box of /complaint-status."""

    code = StringField(_l("回执码"), filters=[_strip])
