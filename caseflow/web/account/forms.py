from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import EmailAddress, Form
from ..i18n import lazy_gettext as _l

REQUIRED = _l("Please fill in this field.")
EMAIL = EmailAddress()
PASSWORD_HINT = _l("At least 10 characters. A few words in a row are easy to remember.")


class RegisterForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[DataRequired(message=REQUIRED), EMAIL, Length(max=254)])
    password = PasswordField(_l("Password"), description=PASSWORD_HINT, validators=[
        DataRequired(message=REQUIRED), Length(min=10, message=_l("Too short: at least 10 characters."))])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(message=REQUIRED), EqualTo("password", message=_l("The passwords are not the same."))])


class LoginForm(Form):
    email = StringField(_l("E-mail"), validators=[DataRequired(message=REQUIRED), EMAIL])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class VerifyForm(Form):
    """The confirmation link's page: the password chosen at registration."""
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class ResetRequestForm(Form):
    email = StringField(_l("E-mail"), validators=[DataRequired(message=REQUIRED), EMAIL])


class ResetForm(Form):
    password = PasswordField(_l("New password"), description=PASSWORD_HINT, validators=[
        DataRequired(message=REQUIRED), Length(min=10, message=_l("Too short: at least 10 characters."))])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(message=REQUIRED), EqualTo("password", message=_l("The passwords are not the same."))])


class InviteForm(Form):
    email = StringField(_l("E-mail of the person to invite"),
                        description=_l("They get a link by e-mail. It works for seven days, once, for an account "
                                       "logged in with that address."),
                        validators=[DataRequired(message=REQUIRED), EMAIL, Length(max=254)])


class AcceptInvitationForm(Form):
    """Only the CSRF token: accepting is a button."""
