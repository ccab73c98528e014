"""The office's inspection-plan form (双随机): scope, quota, weights, inspectors, recusal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.labels import PLAN_KIND_LABELS, PLAN_QUOTA_LABELS
from app.core.scope import FIELD
from app.extensions import db
from app.models import Jurisdiction, User
from app.models.establishment import CATEGORIES, RISK_GRADES
from app.models.jurisdiction import TOP_KINDS
from app.web.forms import strip

REQUIRED = _l("请填写此项。")
CHECKS = {"widget": ListWidget(prefix_label=False), "option_widget": CheckboxInput()}
WEIGHT = [
    InputRequired(_l("请填写权重。")),
    NumberRange(0.1, 100, _l("权重须在 0.1 到 100 之间。")),
]
DEFAULT_WEIGHTS = {"A": 1, "B": 2, "C": 3, "D": 4, "": 2}


class PlanForm(FlaskForm):
    name = StringField(
        _l("计划名称"), validators=[DataRequired(REQUIRED), Length(max=200)], filters=[strip]
    )
    kind = SelectField(_l("计划类型"), choices=[])
    lead_department = StringField(
        _l("牵头部门"), validators=[DataRequired(REQUIRED), Length(max=100)], filters=[strip]
    )
    starts_on = DateField(_l("开始日期"), validators=[InputRequired(_l("请填写有效日期。"))])
    ends_on = DateField(_l("结束日期"), validators=[InputRequired(_l("请填写有效日期。"))])
    categories = SelectMultipleField(
        _l("单位类别"),
        choices=[],
        validators=[DataRequired(_l("请至少选择一个单位类别。"))],
        **CHECKS,
    )
    jurisdiction_ids = SelectMultipleField(
        _l("街道"),
        coerce=int,
        choices=[],
        validators=[DataRequired(_l("请至少选择一个街道。"))],
        **CHECKS,
    )
    quota_kind = SelectField(_l("抽取方式"), choices=[])
    quota = IntegerField(
        _l("比例（%）或数量"),
        validators=[
            InputRequired(_l("请填写抽取比例或数量（整数）。")),
            NumberRange(min=1, message=_l("抽取比例或数量须至少为 1。")),
        ],
    )
    weight_a = DecimalField(_l("A 级权重"), validators=WEIGHT, default=1)
    weight_b = DecimalField(_l("B 级权重"), validators=WEIGHT, default=2)
    weight_c = DecimalField(_l("C 级权重"), validators=WEIGHT, default=3)
    weight_d = DecimalField(_l("D 级权重"), validators=WEIGHT, default=4)
    weight_none = DecimalField(_l("未评定权重"), validators=WEIGHT, default=2)
    bad_record_factor = DecimalField(
        _l("不良记录倍数"),
        validators=[
            InputRequired(_l("请填写倍数。")),
            NumberRange(1, 10, _l("倍数须在 1 到 10 之间。")),
        ],
        default=2,
    )
    inspector_ids = SelectMultipleField(_l("可抽取的检查人员"), coerce=int, choices=[], **CHECKS)
    recuse_area_inspector = BooleanField(_l("回避本辖区的检查人员"), default=True)
    recuse_last_pair = BooleanField(_l("回避上次检查的同一组人员"), default=True)
    note = TextAreaField(_l("说明"), validators=[Length(max=2000)], filters=[strip])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in PLAN_KIND_LABELS.items() if k != "flying"]
        self.quota_kind.choices = [(k, str(v)) for k, v in PLAN_QUOTA_LABELS.items()]
        self.categories.choices = [(k, str(v)) for k, v in CATEGORIES.items()]
        streets = db.select(Jurisdiction).where(Jurisdiction.kind.in_(TOP_KINDS))
        streets = streets.where(Jurisdiction.active.is_(True)).order_by(Jurisdiction.code)
        self.jurisdiction_ids.choices = [(j.id, j.name) for j in db.session.scalars(streets)]
        users = db.select(User).where(User.active.is_(True), User.role.in_(FIELD))
        self.inspector_ids.choices = [
            (u.id, u.display_name) for u in db.session.scalars(users.order_by(User.id))
        ]

    def validate_quota(self, field):
        if self.quota_kind.data == "percent" and field.data is not None and field.data > 100:
            raise ValidationError(_l("比例须在 1% 到 100% 之间。"))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("结束日期不能早于开始日期。"))

    def weights(self) -> dict:
        """The risk-grade weights as stored on the plan."""
        fields = (self.weight_a, self.weight_b, self.weight_c, self.weight_d, self.weight_none)
        return {g: float(f.data) for g, f in zip((*RISK_GRADES, ""), fields, strict=True)}
