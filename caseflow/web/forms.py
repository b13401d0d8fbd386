"""The base of every form of the app: each text field is held to the one rule for text from outside
(``domain.text``), so no form can forget it.

A text field (``StringField`` and its kinds, ``TextAreaField``) refuses control characters and lone surrogates
with a translated message on the field, keeping what the user typed; a one-line field folds tabs and line breaks
into a space. Password fields are left alone: a password is never stored or shown, only hashed.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from ..domain import text
from .i18n import lazy_gettext as _l
from .messages import FIELD_ERRORS

EMAIL_MESSAGE = _l("Please enter an e-mail address like name@company.se.")


class CleanText:
    """Refuses a control character or a lone surrogate before any other check of the field runs."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and text.has_refused_characters(field.data):
            raise StopValidation(FIELD_ERRORS[text.INVALID_CHARACTERS])


def _fold(value):
    return text.fold_lines(value) if isinstance(value, str) else value


class EmailAddress:
    """One plain e-mail address (``domain.text.email_address``); the field keeps it normalised.
    ``internal_hosts`` for addresses staff configure (an office's or an officer's address)."""

    def __init__(self, internal_hosts: bool = False, message=None):
        self.internal_hosts = internal_hosts
        self.message = message or EMAIL_MESSAGE

    def __call__(self, form, field) -> None:
        if not field.data:
            return  # DataRequired / Optional say whether it may be empty
        try:
            field.data = text.email_address(field.data, internal_hosts=self.internal_hosts)
        except text.TextError:
            raise ValidationError(self.message) from None


class Form(FlaskForm):
    """FlaskForm with the text rule on every text field (see the module docstring)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.validators = [CleanText(), *field.validators]
                if not isinstance(field, TextAreaField):
                    field.filters = (_fold, *field.filters)
            return field
