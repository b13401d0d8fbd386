"""Translated messages for the error codes that services raise (``InvalidInput.fields``)."""
from babel.numbers import format_decimal
from flask import current_app
from flask_babel.speaklater import LazyString
from wtforms.validators import Length

from ..domain import numbers
from .i18n import lang
from .i18n import lazy_gettext as _l


class Count:
    """A number written as the language writes it ("10 000" in Swedish, "10,000" in English) when the message
    is formatted, so a message can name a validator's limit instead of repeating it."""

    def __init__(self, n: int):
        self.n = n

    def __str__(self) -> str:
        return format_decimal(self.n, locale=lang())


class MaxFileSize:
    """The largest file accepted (the ``ATTACHMENT_MAX_BYTES`` setting), written as the language writes it
    ("10 MB", "2,5 MB" in Swedish, "2.5 MB" in English) when the message is shown: never a figure typed twice."""

    def __str__(self) -> str:
        return numbers.file_size(current_app.config["ATTACHMENT_MAX_BYTES"], lang())


def _with_size(message) -> str:
    return str(message) % {"size": MaxFileSize()}


def sized(message) -> LazyString:
    """A lazy sentence or hint that names the largest file accepted as ``%(size)s``, filled in from the setting
    in the language of the request that shows it."""
    return LazyString(_with_size, message)


ATTACHMENT_HINT = sized(_l("Up to 5 files, %(size)s each: PDF, images, Word, Excel, PowerPoint or text."))

FIELD_ERRORS = {
    "required": _l("Please fill in this field."),
    "too_long": _l("The text is too long."),
    "invalid_choice": _l("Please choose one of the options."),
    "not_an_option": _l("That is not one of the options – choose among the ones listed."),
    "outcome_required": _l("Please choose an outcome."),
    "invalid_characters": _l("The text contains characters that cannot be stored."),
    "kind_not_served": _l("This category does not handle that kind of case. Choose another category or kind."),
    "org_format": _l("Write the organisation number as ten digits, e.g. 556036-0793."),
    "org_checksum": _l("The organisation number is not valid: the last digit (check digit) does not match. "
                       "Please check for a typo."),
    "org_date": _l("The personal identity number does not contain a valid date."),
    "same_office": _l("The case is already at that office."),
    "unknown_case": _l("There is no case with that number that you can see."),
    "same_case": _l("A case cannot be linked to itself."),
    "unknown_case_of_company": _l("We cannot find a case with that number for this organisation number. Check the "
                                  "number in your receipt, or leave the field empty."),
    "taken": _l("That is already in use."),
    "unknown_user": _l("There is no member of staff with that e-mail."),
    "w3c_datetime": _l("Give a W3C date-time with a time zone, e.g. 2026-11-01T00:00:00Z."),
    "range_90_days": _l("The date range may be at most 90 days, with end_date after start_date."),
    "open_or_closed": _l("Use open or closed."),
    "locked": _l("Too many failed attempts: the account is locked for a while. Try again in 15 minutes, or "
                 "choose a new password."),
    "three_weights": _l("Give three non-negative numbers separated by commas, e.g. 1,1,1."),
    "not_a_number": _l("Write a number, e.g. 0.95."),
    "appeal_weeks": _l("Give the weeks to appeal as a whole number from 1 to 52."),
    "not_verified": _l("Please confirm your e-mail address first: follow the link in the mail we sent."),
    "invalid_email": _l("Please enter an e-mail address like name@company.se."),
    "already_has_access": _l("That person already sees every case of the company."),
    "no_verified_account": _l("There is no company account with a confirmed address for that e-mail. Ask the "
                              "person to create an account and confirm the address first."),
    "too_many_files": _l("At most 5 files per message."),
    "file_empty": _l("One of the files is empty."),
    "file_too_large": sized(_l("One of the files is larger than %(size)s.")),
    "file_type": _l("One of the files is of a type we cannot accept. Send PDF, images, Word, Excel, PowerPoint or "
                    "text files."),
    "too_short": _l("Too short: at least 10 characters."),
    "wrong_password": _l("Wrong current password."),
    "wrong_account_password": _l("Wrong password. Give the password chosen when the account was created."),
    # the API's reading of a JSON body or a query (web/api/fields.py)
    "must_be_text": _l("Please give this as text (a JSON string)."),
    "json_object_required": _l("Please send a JSON object as the request body."),
    "page_size": _l("Please give a whole number from 1 to 200."),
    "invalid": _l("This value is not valid."),
}


def apply_errors(form, fields: dict[str, str]) -> None:
    """Attach service errors to the form's fields, so the page shows them beside what the user typed."""
    for name, code in fields.items():
        field = getattr(form, name, None)
        own = getattr(form, "MESSAGES", {}).get(name, {}).get(code)  # the field's own sentence (web/forms.py)
        msg = FIELD_ERRORS.get(code, FIELD_ERRORS["invalid_choice"]) if own is None else _limit(own, field)
        if field is not None:
            field.errors = list(field.errors or []) + [msg]
        else:
            form.form_errors.append(msg)


def _limit(message, field) -> str:
    """A field's sentence that names its length limit (``%(n)s``), with the limit of the field's validator."""
    limits = [v.max if v.max != -1 else v.min for v in getattr(field, "validators", ()) if isinstance(v, Length)]
    return str(message) % {"n": Count(limits[0])} if limits and "%(n)s" in str(message) else str(message)


try:  # WTForms >= 3.3 prefers SelectChoice objects; tuples are deprecated there
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs) -> list:
    """(value, label) pairs as the installed WTForms wants them."""
    return [SelectChoice(v, label) if SelectChoice else (v, label) for v, label in pairs]
