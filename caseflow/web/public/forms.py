from wtforms import MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...domain.identifiers import InvalidIdentifier, parse_company_identifier
from ...domain.workflow import COMPLAINT_GROUNDS
from ..forms import EmailAddress, Form
from ..helpers import GROUND_LABELS, KIND_LABELS
from ..i18n import lazy_gettext as _l
from ..messages import FIELD_ERRORS, choices

REQUIRED = _l("Please fill in this field.")


def valid_org_number(form, field):
    try:
        parse_company_identifier(field.data or "")
    except InvalidIdentifier as exc:
        raise ValidationError(FIELD_ERRORS[f"org_{exc.code}"]) from None


def _too_long(n):
    return _l("At most %(n)s characters, please.", n=n)


class SubmitForm(Form):
    kind = RadioField(
        _l("What is it about?"),
        choices=choices((k, KIND_LABELS[k]) for k in ("errand", "question", "complaint", "feedback")),
        default="errand", validators=[DataRequired(message=_l("Please choose what the case is about."))],
    )
    category_id = SelectField(_l("Area"), coerce=int,
                              validators=[DataRequired(message=_l("Please choose an area."))])
    complaint_ground = SelectField(
        _l("What is the complaint about?"),
        choices=choices([("", _l("Choose…"))] + [(g, GROUND_LABELS[g]) for g in COMPLAINT_GROUNDS]),
        validate_choice=False,  # checked below: required and one of the grounds only for complaints
    )
    related_reference = StringField(
        _l("Case number the complaint is about (optional)"),
        description=_l("For example CF-2026-00012, from your receipt. Only for complaints."),
        validators=[Optional(), Length(max=20, message=_too_long(20))],
    )
    org_number = StringField(
        _l("Organisation number"), description=_l("Ten digits, e.g. 556036-0793. Sole traders: your personal "
                                                  "identity number."),
        validators=[DataRequired(message=REQUIRED), valid_org_number],
    )
    company_name = StringField(_l("Company name"),
                               validators=[DataRequired(message=REQUIRED), Length(max=200, message=_too_long(200))])
    contact_name = StringField(_l("Your name"),
                               validators=[DataRequired(message=REQUIRED), Length(max=120, message=_too_long(120))])
    contact_email = StringField(
        _l("E-mail"), description=_l("We send the receipt and our answers here."),
        validators=[DataRequired(message=REQUIRED), EmailAddress(), Length(max=254, message=_too_long(254))],
    )
    contact_phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40, message=_too_long(40))])
    subject = StringField(_l("Subject"),
                          validators=[DataRequired(message=REQUIRED), Length(max=200, message=_too_long(200))])
    description = TextAreaField(
        _l("Describe your case"),
        validators=[DataRequired(message=REQUIRED), Length(max=10000, message=_too_long(10000))],
    )

    def validate_complaint_ground(self, field):
        if self.kind.data != "complaint":
            field.data = None
        elif field.data not in COMPLAINT_GROUNDS:
            raise ValidationError(_l("Please choose what the complaint is about."))


class AnswerForm(Form):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(message=REQUIRED),
                                                        Length(max=10000, message=_too_long(10000))])
    attachments = MultipleFileField(
        _l("Attach files (optional)"),
        description=_l("Up to 5 files, 10 MB each: PDF, images, Word, Excel, PowerPoint or text."))


class EmailForm(Form):
    email = StringField(_l("E-mail"), validators=[
        DataRequired(message=REQUIRED), EmailAddress()])


class SurveyForm(Form):
    """Radio questions are added per request (the scale is configurable); see routes.survey."""

    comment = TextAreaField(_l("Anything else you want to tell us? (optional)"),
                            validators=[Optional(), Length(max=5000, message=_too_long(5000))])
