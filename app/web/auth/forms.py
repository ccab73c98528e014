"""Forms for signing in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.accounts import MIN_PASSWORD


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("在这台设备上保持登录"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    """Choose a new password; the current one is asked unless it was a one-time password."""

    current = PasswordField(_l("当前密码"), validators=[Length(max=200)])
    password = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(_l("请输入新密码。")),
            Length(min=MIN_PASSWORD, max=200, message=_l("密码至少 8 位。")),
        ],
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[
            DataRequired(_l("请再次输入新密码。")),
            EqualTo("password", _l("两次输入的密码不一致。")),
        ],
    )
