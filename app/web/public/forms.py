"""The public forms: complaint, insider report, receipt code and 申请复查."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from app.public.complaints import TEXT_MAX, clean_text, normalise_phone


def strip(value):
    """Leading and trailing blanks off a text field."""
    return value.strip() if isinstance(value, str) else value


def clean(value):
    """A multi-line text field with its line breaks counted as the browser counts them."""
    # A browser sends each line break as CRLF; its maxlength counts it once, so must we.
    return clean_text(value) if isinstance(value, str) else value


NAME_MAX = 64
# Chosen by the citizen; the one-line explanations are shown with the choices.
KIND_CHOICES = [
    SelectChoice("report", _l("举报：反映单位违法违规问题，由监管部门核查")),
    SelectChoice("complaint", _l("投诉：您本人与该单位的消费纠纷，请求调解处理")),
]


def optional_phone(form, field) -> None:
    """A phone number that may be left out; stored in the one normal form."""
    if not field.data:
        return
    phone = normalise_phone(field.data)
    if phone is None:
        raise ValidationError(
            _l("请填写有效的手机号（11 位）或固定电话（区号-号码），也可以不填。")
        )
    field.data = phone


def report_text() -> TextAreaField:
    """The report's text box, the same on the complaint and the insider forms."""
    return TextAreaField(
        _l("举报内容"),
        filters=[clean],
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
        filters=[strip],
        validators=[Length(max=NAME_MAX, message=_l("姓名不能超过 %(max)d 个字。", max=NAME_MAX))],
    )
    text = report_text()
    phone = StringField(_l("联系电话（选填）"), filters=[strip], validators=[optional_phone])


class InsiderForm(FlaskForm):
    """内部举报: the report, and who sends it (all optional; kept apart, admins only)."""

    text = report_text()
    name = StringField(
        _l("姓名（选填）"),
        filters=[strip],
        validators=[Length(max=NAME_MAX, message=_l("姓名不能超过 %(max)d 个字。", max=NAME_MAX))],
    )
    contact = StringField(
        _l("联系方式（选填）"),
        filters=[strip],
        validators=[Length(max=64, message=_l("联系方式不能超过 %(max)d 个字。", max=64))],
    )
    relation = StringField(
        _l("与该单位的关系（选填）"),
        filters=[strip],
        validators=[Length(max=100, message=_l("与该单位的关系不能超过 %(max)d 个字。", max=100))],
    )


class ReceiptForm(FlaskForm):
    """The receipt-code box of /complaint-status."""

    code = StringField(_l("回执码"), filters=[strip])


NOTE_MAX = 500


class ReinspectionForm(FlaskForm):
    """申请复查: who asks, how to reach them, and what was fixed."""

    contact_name = StringField(
        _l("联系人（选填，不公开）"),
        filters=[strip],
        validators=[Length(max=64, message=_l("联系人不能超过 %(max)d 个字。", max=64))],
    )
    contact_phone = StringField(
        _l("联系电话（选填，不公开）"), filters=[strip], validators=[optional_phone]
    )
    note = TextAreaField(
        _l("已整改的情况（选填）"),
        filters=[clean],
        validators=[Length(max=NOTE_MAX, message=_l("说明不能超过 %(max)d 个字。", max=NOTE_MAX))],
    )
