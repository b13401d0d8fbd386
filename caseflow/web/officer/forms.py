from wtforms import DateField, HiddenField, IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...services.casework import MESSAGE_LIMIT, OUTCOMES
from ..forms import Form
from ..helpers import OUTCOME_LABELS
from ..i18n import lazy_gettext as _l
from ..messages import ATTACHMENT_HINT, choices

REQUIRED = _l("Please write something first.")
# "duplicate" is set by linking a case to its original, not chosen by hand
OUTCOME_CHOICES = choices([("", _l("Choose…"))] + [(o, OUTCOME_LABELS[o]) for o in OUTCOMES if o != "duplicate"])
TOO_LONG = _l("The text is too long.")


class ReplyForm(Form):
    body = TextAreaField(_l("Reply to the company"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])
    attachments = MultipleFileField(_l("Attachments (optional)"), description=ATTACHMENT_HINT)


class NoteForm(Form):
    body = TextAreaField(_l("Internal note (never shown to the company)"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class CloseForm(Form):
    # Not asked on a decided case (its decision's outcome is the outcome): the service requires it otherwise.
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES, validators=[Optional()])
    comment = TextAreaField(_l("Closing message to the company (optional)"),
                            validators=[Optional(), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class CompletionForm(Form):
    body = TextAreaField(_l("What does the company need to send?"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class DecideForm(Form):
    outcome = SelectField(_l("Outcome"),
                          choices=OUTCOME_CHOICES,
                          validators=[DataRequired(message=_l("Please choose an outcome."))])
    text = TextAreaField(_l("Decision text to the company"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class ReasonForm(Form):
    """Reopen and delay notice: a required reason."""

    reason = TextAreaField(_l("Reason"),
                           validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class DecisionRequestForm(Form):
    requested_on = DateField(_l("Date the written request arrived"),
                             validators=[DataRequired(message=_l("Please give a date (YYYY-MM-DD)."))])


class ExtendForm(Form):
    weeks = IntegerField(_l("Extension in weeks (at most the original period)"),
                         validators=[DataRequired(message=_l("Please give a number of weeks.")),
                                     NumberRange(min=1, max=10, message=_l("Between 1 and 10 weeks."))])
    reason = TextAreaField(_l("Reason for the extension (recorded decision)"),
                           validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class AssignForm(Form):
    assignee_id = SelectField(_l("Assign to"), coerce=int, validate_choice=False)


class RerouteForm(Form):
    office_id = SelectField(_l("Send to office"), coerce=int,
                            validators=[DataRequired(message=_l("Please choose an office."))], validate_choice=False)
    reason = TextAreaField(_l("Why does the case belong there?"),
                           validators=[DataRequired(message=REQUIRED), Length(max=2000, message=TOO_LONG)])


class LinkForm(Form):
    other_reference = StringField(
        _l("Case number of the other case"),
        validators=[DataRequired(message=_l("Please give a case number, e.g. CF-2026-00012."))])
    kind = SelectField(_l("Link"), choices=choices([
        ("related", _l("Related case")),
        ("duplicate_of", _l("This case is a duplicate of it (closes this case)"))]))


class ClaimForm(Form):
    """One click: nothing but the CSRF token (the queue row posts the queue's own form here)."""


BULK_LABELS = {"claim": _l("Assign to me"), "close_answered": _l("Close as answered"),
               "close_no_action": _l("Close: no action needed")}


class BulkForm(Form):
    action = SelectField(_l("With the chosen cases"), choices=choices(list(BULK_LABELS.items())))


class BulkConfirmForm(Form):
    """The preview's confirmation: the previewed cases and action, signed (never the queue's checkboxes)."""

    token = HiddenField()


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(_l("Search"), description=_l("Case number, organisation number, company, contact or words"))
    status = SelectField(_l("Status"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    category_id = SelectField(_l("Area"), coerce=int, validate_choice=False)
    assignee_id = SelectField(_l("Assignee"), coerce=int, validate_choice=False)
    older_than_days = IntegerField(_l("Older than (days)"), validators=[Optional(), NumberRange(min=0, max=10000)])


class CompanyForm(Form):
    """The company of a case that came by e-mail without one."""

    org_number = StringField(_l("Organisation number (or personal identity number)"),
                             validators=[DataRequired(message=_l("Please give the organisation number."))])
    company_name = StringField(_l("Company name"), validators=[DataRequired(message=_l("Please give the name."))])
