"""The company account's forms; each field says what went wrong in its own words (``MESSAGES``, web/forms.py)."""
from wtforms import PasswordField, StringField

from ..forms import EmailAddress, Form, MaxLength, MinLength, Required, SameAs
from ..i18n import lazy_gettext as _l

PASSWORD_HINT = _l("At least 10 characters. A few words in a row are easy to remember.")
EMAIL_FORMAT = _l("Enter an e-mail address in the correct format, like name@company.se")
NEW_PASSWORD = {"required": _l("Choose a password"),
                "too_short": _l("The password must be at least %(n)s characters")}
PASSWORD_AGAIN = {"required": _l("Enter the password again"),
                  "mismatch": _l("The passwords are not the same – enter the same password twice")}
YOUR_EMAIL = {"required": _l("Enter your e-mail address"), "invalid_email": EMAIL_FORMAT,
              "too_long": _l("The e-mail address must be %(n)s characters or fewer")}


class RegisterForm(Form):
    MESSAGES = {
        "name": {"required": _l("Enter your name"), "too_long": _l("Your name must be %(n)s characters or fewer")},
        "email": YOUR_EMAIL, "password": NEW_PASSWORD, "confirm": PASSWORD_AGAIN,
    }

    name = StringField(_l("Your name"), validators=[Required(), MaxLength(120)])
    email = StringField(_l("E-mail"), validators=[Required(), MaxLength(254), EmailAddress()])
    password = PasswordField(_l("Password"), description=PASSWORD_HINT, validators=[Required(), MinLength(10)])
    confirm = PasswordField(_l("Password again"), validators=[Required(), SameAs("password")])


class LoginForm(Form):
    MESSAGES = {"email": YOUR_EMAIL, "password": {"required": _l("Enter your password")}}

    email = StringField(_l("E-mail"), validators=[Required(), EmailAddress()])
    password = PasswordField(_l("Password"), validators=[Required()])


class VerifyForm(Form):
    """The confirmation link's page: the password chosen at registration."""

    MESSAGES = {"password": {"required": _l("Enter the password you chose when you created the account")}}

    password = PasswordField(_l("Password"), validators=[Required()])


class ResetRequestForm(Form):
    MESSAGES = {"email": {"required": _l("Enter the e-mail address of your account"),
                          "invalid_email": EMAIL_FORMAT}}

    email = StringField(_l("E-mail"), validators=[Required(), EmailAddress()])


class ResetForm(Form):
    MESSAGES = {"password": {"required": _l("Choose a new password"), "too_short": NEW_PASSWORD["too_short"]},
                "confirm": {"required": _l("Enter the new password again"), "mismatch": PASSWORD_AGAIN["mismatch"]}}

    password = PasswordField(_l("New password"), description=PASSWORD_HINT, validators=[Required(), MinLength(10)])
    confirm = PasswordField(_l("Password again"), validators=[Required(), SameAs("password")])


class InviteForm(Form):
    MESSAGES = {"email": {"required": _l("Enter the e-mail address of the person to invite"),
                          "invalid_email": EMAIL_FORMAT,
                          "too_long": _l("The e-mail address must be %(n)s characters or fewer")}}

    email = StringField(_l("E-mail of the person to invite"),
                        description=_l("They get a link by e-mail. It works for seven days, once, for an account "
                                       "logged in with that address."),
                        validators=[Required(), MaxLength(254), EmailAddress()])


class AcceptInvitationForm(Form):
    """Only the CSRF token: accepting is a button."""
