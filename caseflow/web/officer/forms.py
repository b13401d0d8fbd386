from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...services.casework import MESSAGE_LIMIT, OUTCOMES
from ..helpers import OUTCOME_LABELS
from ..messages import choices

REQUIRED = _l("Please write something first.")
TOO_LONG = _l("The text is too long.")


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply to the company"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Internal note (never shown to the company)"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class CloseForm(FlaskForm):
    outcome = SelectField(_l("Outcome"),
                          choices=choices([("", _l("Choose…"))] + [(o, OUTCOME_LABELS[o]) for o in OUTCOMES]),
                          validators=[DataRequired(message=_l("Please choose an outcome."))])
    comment = TextAreaField(_l("Closing message to the company (optional)"),
                            validators=[Optional(), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class CompletionForm(FlaskForm):
    body = TextAreaField(_l("What does the company need to send?"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class DecideForm(FlaskForm):
    outcome = SelectField(_l("Outcome"),
                          choices=choices([("", _l("Choose…"))] + [(o, OUTCOME_LABELS[o]) for o in OUTCOMES]),
                          validators=[DataRequired(message=_l("Please choose an outcome."))])
    text = TextAreaField(_l("Decision text to the company"),
                         validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class ReasonForm(FlaskForm):
    """Reopen and delay notice: a required reason."""

    reason = TextAreaField(_l("Reason"),
                           validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])


class DecisionRequestForm(FlaskForm):
    requested_on = DateField(_l("Date the written request arrived"),
                             validators=[DataRequired(message=_l("Please give a date (YYYY-MM-DD)."))])


class ExtendForm(FlaskForm):
    weeks = IntegerField(_l("Extension in weeks (at most the original period)"),
                         validators=[DataRequired(message=_l("Please give a number of weeks.")),
                                     NumberRange(min=1, max=10, message=_l("Between 1 and 10 weeks."))])
    reason = TextAreaField(_l("Reason for the extension (recorded decision)"),
                           validators=[DataRequired(message=REQUIRED), Length(max=MESSAGE_LIMIT, message=TOO_LONG)])
