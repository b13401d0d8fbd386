from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

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
