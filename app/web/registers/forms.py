"""Forms for registrations, coordinators and ledger moves."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core.clock import local_today
from app.web.forms import MAX_TEXT, text


class ApplicationForm(FlaskForm):
    """What the Henan regulation asks of an applicant (photos join at integration)."""

    applied_on = DateField(_l("申请日期"), default=local_today, validators=[DataRequired()])
    operator = text(_l("经营者姓名"), required=True, max_len=100)
    id_number = text(_l("身份证号"), required=True, max_len=32)
    contact_phone = text(_l("联系电话"), required=True, max_len=32)
    address = text(_l("经营地址"), required=True, max_len=300)
    business_licence_no = text(_l("营业执照号"), max_len=64)
    health_certificates = TextAreaField(
        _l("从业人员健康证明"), validators=[DataRequired(_l("请填写此项。")), Length(max=MAX_TEXT)]
    )
    products = TextAreaField(
        _l("经营（生产）食品品种"),
        validators=[DataRequired(_l("请填写此项。")), Length(max=MAX_TEXT)],
    )
    process_flow = TextAreaField(
        _l("生产加工工艺流程（小作坊）"), validators=[Length(max=MAX_TEXT)]
    )
    area = text(_l("经营区域（小摊点）"), max_len=200)
    hours = text(_l("经营时段（小摊点）"), max_len=100)
    safety_pledge = BooleanField(_l("已签署食品安全承诺书"))

    def __init__(self, *args, category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category

    def validate_safety_pledge(self, field):
        if not field.data:
            raise ValidationError(_l("须签署食品安全承诺书。"))

    def validate_process_flow(self, field):
        if self.category == "small_workshop" and not (field.data or "").strip():
            raise ValidationError(_l("食品小作坊须说明生产加工工艺流程。"))

    def validate_area(self, field):
        if self.category == "stall" and not field.data:
            raise ValidationError(_l("小摊点须填写经营区域。"))

    def details(self) -> dict:
        """The application's detail fields."""
        names = ("operator", "id_number", "contact_phone", "address", "business_licence_no")
        more = ("health_certificates", "products", "process_flow", "area", "hours", "safety_pledge")
        return {
            name: self[name].data or ("" if name != "safety_pledge" else False)
            for name in names + more
        }


class DateActionForm(FlaskForm):
    on = DateField(_l("日期"), default=local_today, validators=[DataRequired(_l("请填写日期。"))])


class CancelForm(DateActionForm):
    reason = TextAreaField(
        _l("注销原因"), validators=[DataRequired(_l("请填写注销原因。")), Length(max=500)]
    )


class AmendForm(FlaskForm):
    operator = text(_l("经营者姓名"), required=True, max_len=100)
    id_number = text(_l("身份证号"), max_len=32)
    contact_phone = text(_l("联系电话"), max_len=32)
    address = text(_l("经营地址"), required=True, max_len=300)
    products = TextAreaField(
        _l("经营（生产）食品品种"), validators=[DataRequired(), Length(max=MAX_TEXT)]
    )
    area = text(_l("经营区域（小摊点）"), max_len=200)
    hours = text(_l("经营时段（小摊点）"), max_len=100)
    reason = text(_l("变更事由"), required=True, max_len=300)

    def changes(self) -> dict:
        """The amendable fields as entered."""
        names = ("operator", "id_number", "contact_phone", "address", "products", "area", "hours")
        return {name: self[name].data or "" for name in names}


class CoordinatorForm(FlaskForm):
    name = text(_l("姓名"), required=True, max_len=100)
    phone = text(_l("联系电话"), max_len=32)
    village_id = SelectField(_l("行政村"), coerce=int, choices=[])
    start_on = DateField(_l("上任日期"), default=local_today, validators=[DataRequired()])
    end_on = DateField(_l("离任日期"), validators=[Optional()])

    def validate_end_on(self, field):
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("离任日期不能早于上任日期。"))

    def values(self) -> dict:
        return {
            name: self[name].data for name in ("name", "phone", "village_id", "start_on", "end_on")
        }
