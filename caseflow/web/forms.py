"""The base of every form of the app: each text field is held to the one rule for text from outside
(``domain.text``), so no form can forget it; and each field says what went wrong in its own words.

A text field (``StringField`` and its kinds, ``TextAreaField``) refuses control characters and lone surrogates
with a translated message on the field, keeping what the user typed; a one-line field folds tabs and line breaks
into a space. Password fields are left alone: a password is never stored or shown, only hashed.

Error messages are written as GOV.UK writes them (docs/design.md "Error messages"): one specific sentence per field
and rule that says what to do ("Skriv en rubrik för ärendet", "Rubriken får vara högst 200 tecken"), never a
generic one ("Fyll i det här fältet."). A form keeps them in ``MESSAGES`` ({field: {rule code: message}}); the
validators below raise a rule's code and the form says it, and so do the rule codes a service raises
(``messages.apply_errors``). A field without its own sentence for a rule falls back to the shared
``messages.FIELD_ERRORS``, which the company's forms never do (tests/web/test_error_messages.py).
"""
from __future__ import annotations

from typing import ClassVar

from babel.numbers import format_decimal
from flask_wtf import FlaskForm
from wtforms import FloatField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation, ValidationError

from ..domain import numbers, text
from .i18n import lang
from .i18n import lazy_gettext as _l
from .messages import FIELD_ERRORS, Count

INVALID_CHARACTERS = _l("“%(label)s” contains a character that cannot be stored – type the text again without it")


def message_for(form, field, code: str, default=None, **values) -> str:
    """What ``field`` says when it breaks the rule ``code``: the form's own sentence, else ``default``, else the
    shared one."""
    own = getattr(form, "MESSAGES", {}).get(field.short_name, {}).get(code)
    message = own if own is not None else default or FIELD_ERRORS.get(code, FIELD_ERRORS["invalid"])
    return str(message) % values if values else str(message)


class Required(DataRequired):
    """The field must be filled in or chosen (whitespace is nothing; for a choice, 0 or "" is "Choose…")."""

    def __call__(self, form, field) -> None:
        data = field.data
        if data and (not isinstance(data, str) or data.strip()):
            return
        field.errors[:] = []
        raise StopValidation(message_for(form, field, "required"))


class MaxLength(Length):
    """At most ``n`` characters: the rule ``too_long``, whose message may name the limit as ``%(n)s``."""

    def __init__(self, n: int):
        super().__init__(max=n)

    def __call__(self, form, field) -> None:
        if field.data is not None and len(field.data) > self.max:
            raise ValidationError(message_for(form, field, "too_long", n=Count(self.max)))


class MinLength(Length):
    """At least ``n`` characters: the rule ``too_short`` (``%(n)s`` in its message)."""

    def __init__(self, n: int):
        super().__init__(min=n)

    def __call__(self, form, field) -> None:
        if field.data is not None and len(field.data) < self.min:
            raise ValidationError(message_for(form, field, "too_short", n=Count(self.min)))


class SameAs(EqualTo):
    """The same as the field ``other`` (a password typed twice): the rule ``mismatch``."""

    def __call__(self, form, field) -> None:
        if field.data != form[self.fieldname].data:
            raise ValidationError(message_for(form, field, "mismatch"))


class Chosen:
    """One of the field's choices (used with ``validate_choice=False``, so a value no option has is the field's
    own sentence, not WTForms' "Not a valid choice"): the rule ``invalid_choice``."""

    def __call__(self, form, field) -> None:
        values = {str(choice[0] if isinstance(choice, tuple) else choice.value) for choice in field.choices}
        if field.data is not None and str(field.data) not in values:
            raise ValidationError(message_for(form, field, "invalid_choice"))


class CleanText:
    """Refuses a control character or a lone surrogate before any other check of the field runs."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and text.has_refused_characters(field.data):
            raise StopValidation(message_for(form, field, text.INVALID_CHARACTERS, INVALID_CHARACTERS,
                                            label=field.label.text))


def _fold(value):
    return text.fold_lines(value) if isinstance(value, str) else value


class EmailAddress:
    """One plain e-mail address (``domain.text.email_address``); the field keeps it normalised: the rule
    ``invalid_email``. ``internal_hosts`` for addresses staff configure (an office's or an officer's address)."""

    def __init__(self, internal_hosts: bool = False, message=None):
        self.internal_hosts = internal_hosts
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return  # Required / Optional say whether it may be empty
        try:
            field.data = text.email_address(field.data, internal_hosts=self.internal_hosts)
        except text.TextError:
            raise ValidationError(str(self.message) if self.message else message_for(form, field, "invalid_email")) \
                from None


class DecimalNumberField(FloatField):
    """A number with decimals as the page's language writes it: "0,95" on a Swedish page, "0.95" on an English one
    (a FloatField shows "0.95" everywhere and refuses "0,95"); either sign is taken, and spaces between thousands.
    Anything else is the rule ``not_a_number``."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal(self.data, locale=numbers.LOCALES.get(lang(), numbers.LOCALES["sv"]),
                              group_separator=False)

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        typed = "".join(str(valuelist[0]).split()).replace("\u2212", "-").replace(",", ".")
        if not typed:
            self.data = None
            return
        try:
            self.data = float(typed)
        except ValueError:
            self.data = None
            raise ValueError(str(FIELD_ERRORS["not_a_number"])) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:  # what was typed is no number: say that, not "fill in this field"
            raise StopValidation()


class Form(FlaskForm):
    """FlaskForm with the text rule on every text field, and its fields' own error messages (module docstring)."""

    #: {field name: {rule code: message}}: what each field says for each rule it can break.
    MESSAGES: ClassVar[dict] = {}

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.validators = [CleanText(), *field.validators]
                if not isinstance(field, TextAreaField):
                    field.filters = (_fold, *field.filters)
            return field

    def error_list(self) -> list[tuple[str, str]]:
        """The error summary's entries, (the element to link to, the text), in the order of the fields, which is
        the order the page shows them in: errors of the whole form first (linking to nothing), then the first
        error of each field, as beside the field. A field with its own sentences says only that; one with the
        shared messages ("Please fill in this field.") is named before it. A choice of radio buttons links to
        its first button."""
        out = [("", str(message)) for message in self.form_errors]
        for field in self:
            if field.errors and field.type != "CSRFTokenField":
                target = f"{field.id}-0" if field.type in ("RadioField", "EnumChecklist") else field.id
                message = str(field.errors[0])
                if field.short_name not in self.MESSAGES:
                    message = f"{field.label.text}: {message}"
                out.append((target, message))
        return out
