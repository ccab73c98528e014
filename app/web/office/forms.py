"""Forms for the office registry."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.models.establishment import CATEGORIES, SCHOOL_TYPES
from app.registry.establishments import EDITABLE, licence_taken
from app.web.forms import jurisdiction_choices, strip


class EstablishmentForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    category = SelectField(_l("类别"), choices=[])
    school_type = SelectField(_l("学校类型"), choices=[], validators=[Optional()])
    jurisdiction_id = SelectField(_l("所属辖区"), coerce=int, choices=[])
    address = StringField(_l("地址"), validators=[Length(max=300)], filters=[strip])
    licence_no = StringField(_l("许可证或登记号"), validators=[Length(max=64)], filters=[strip])
    operator = StringField(_l("经营者"), validators=[Length(max=100)], filters=[strip])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=32)], filters=[strip])
    permit_issued_on = DateField(_l("许可发证日期"), validators=[Optional()])
    licence_valid_until = DateField(_l("许可证有效期至"), validators=[Optional()])
    latitude = FloatField(_l("纬度"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("经度"), validators=[Optional(), NumberRange(-180, 180)])
    surveillance_site = BooleanField(_l("食源性疾病监测哨点"))

    def __init__(self, *args, editing_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing_id = editing_id
        self.category.choices = [(k, str(v)) for k, v in CATEGORIES.items()]
        self.school_type.choices = [("", "—")] + [(k, str(v)) for k, v in SCHOOL_TYPES.items()]
        self.jurisdiction_id.choices = jurisdiction_choices()

    def validate_licence_no(self, field):
        number = (field.data or "").strip()
        if number and licence_taken(number, self.editing_id):
            raise ValidationError(_l("该许可证或登记号已被其他单位使用。"))

    def validate_licence_valid_until(self, field):
        issued = self.permit_issued_on.data
        if field.data and issued and field.data < issued:
            raise ValidationError(_l("有效期至不能早于许可发证日期。"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Checked here, not in a field validator: Optional() stops the chain on an empty value.
        if self.category.data == "school_canteen" and not self.school_type.data:
            self.school_type.errors = [*self.school_type.errors, _l("学校食堂须选择学校类型。")]
            return False
        return ok

    def values(self) -> dict:
        """The cleaned field values, ready for the registry service."""
        data = {name: self[name].data for name in EDITABLE}
        data["licence_no"] = (data["licence_no"] or "").strip() or None
        data["school_type"] = data["school_type"] or None
        if data["category"] != "school_canteen":
            data["school_type"] = None
        return data


class CloseForm(FlaskForm):
    reason = TextAreaField(
        _l("注销原因"), validators=[DataRequired(), Length(max=500)], filters=[strip]
    )
