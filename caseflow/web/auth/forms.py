from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form
from ..i18n import lazy_gettext as _l

REQUIRED = _l("Please fill in this field.")
PASSWORD_HINT = _l("At least 10 characters. A few words in a row are easy to remember.")


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class PasswordForm(Form):
    """Change one's own password (staff and company accounts)."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("New password"), description=PASSWORD_HINT, validators=[
        DataRequired(message=REQUIRED), Length(min=10, message=_l("Too short: at least 10 characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(message=REQUIRED), EqualTo("password", message=_l("The passwords are not the same."))])


class BreakGlassForm(Form):
    """The break-glass administrator's login while passwords are off: password and a one-time code."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])
    code = StringField(_l("One-time code"), description=_l("The six digits your authenticator app shows now."),
                       validators=[DataRequired(message=REQUIRED)])
