from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

REQUIRED = _l("Please fill in this field.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])
