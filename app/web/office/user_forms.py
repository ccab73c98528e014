"""Forms for managing users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.accounts import MIN_PASSWORD
from app.core.labels import ROLE_LABELS
from app.core.scope import INSPECTOR
from app.extensions import db
from app.indicators.catalogue import LEADS, lead_text
from app.models import Jurisdiction, User

PASSWORD_RULE = Length(min=MIN_PASSWORD, max=200, message=_l("密码至少 8 位。"))


def top_jurisdiction_choices() -> list[tuple[int, str]]:
    """Street offices and zones (an inspector covers everything under them)."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.parent_id.is_(None), Jurisdiction.active)
    return [(j.id, j.name) for j in db.session.scalars(stmt.order_by(Jurisdiction.code))]


class UserForm(FlaskForm):
    display_name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=100)])
    phone = StringField(_l("手机号"), validators=[Length(max=32)])
    enforcement_certificate_no = StringField(
        _l("执法证号"), validators=[Length(max=32)], filters=[lambda v: (v or "").strip()]
    )
    role = SelectField(_l("角色"), choices=[])
    lead = SelectField(_l("所属牵头单位"), choices=[])  # "": none
    jurisdictions = SelectMultipleField(
        _l("负责辖区"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    active = BooleanField(_l("启用"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(k, str(v)) for k, v in ROLE_LABELS.items()]
        self.lead.choices = [("", str(_l("（无）")))] + [(x, lead_text(x)) for x in LEADS]
        if self.lead.data is None:  # an account without one (WTForms keeps None uncoerced)
            self.lead.data = ""
        self.jurisdictions.choices = top_jurisdiction_choices()

    def validate_jurisdictions(self, field):
        if self.role.data in INSPECTOR and not field.data:
            raise ValidationError(_l("检查员须至少负责一个辖区。"))

    def chosen_lead(self) -> str | None:
        """The lead department picked, None for none."""
        return self.lead.data or None

    def chosen_jurisdictions(self) -> list[Jurisdiction]:
        """The jurisdiction rows picked in the form."""
        ids = self.jurisdictions.data or []
        return list(db.session.scalars(db.select(Jurisdiction).where(Jurisdiction.id.in_(ids))))


class NewUserForm(UserForm):
    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(
                r"^[A-Za-z0-9_.-]+$", message=_l("用户名只能用字母、数字、点、下划线和短横线。")
            ),
        ],
    )
    password = PasswordField(_l("初始密码"), validators=[DataRequired(), PASSWORD_RULE])

    def validate_username(self, field):
        taken = db.session.scalar(db.select(User.id).where(User.username == field.data.strip()))
        if taken:
            raise ValidationError(_l("该用户名已被使用。"))


class PasswordForm(FlaskForm):
    password = PasswordField(_l("新密码"), validators=[DataRequired(), PASSWORD_RULE])
