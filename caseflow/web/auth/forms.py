from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from ..forms import Form, MinLength, Required, SameAs
from ..i18n import lazy_gettext as _l

REQUIRED = _l("Please fill in this field.")
PASSWORD_HINT = _l("At least 10 characters. A few words in a row are easy to remember.")


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class PasswordForm(Form):
    """Change one's own password (staff and company accounts)."""

    MESSAGES = {
        "current_password": {"required": _l("Enter your current password")},
        "password": {"required": _l("Choose a new password"),
                     "too_short": _l("The password must be at least %(n)s characters")},
        "confirm": {"required": _l("Enter the new password again"),
                    "mismatch": _l("The passwords are not the same – enter the same password twice")},
    }

    current_password = PasswordField(_l("Current password"), validators=[Required()])
    password = PasswordField(_l("New password"), description=PASSWORD_HINT, validators=[Required(), MinLength(10)])
    confirm = PasswordField(_l("New password again"), validators=[Required(), SameAs("password")])


class BreakGlassForm(Form):
    """The break-glass administrator's login while passwords are off: password and a one-time code."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])
    code = StringField(_l("One-time code"), description=_l("The six digits your authenticator app shows now."),
                       validators=[DataRequired(message=REQUIRED)])
