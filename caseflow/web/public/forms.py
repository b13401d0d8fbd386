"""The company's forms: a new case, an answer on the tracking page, the links by mail, the survey.

Each field says what went wrong in its own words (``MESSAGES``, see web/forms.py); the fields are declared in the
order the page shows them, so the error summary lists them in that order."""
from wtforms import MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from ...domain import complaints, workflow
from ...domain import survey as survey_rules
from ...domain.identifiers import InvalidIdentifier, parse_company_identifier
from ..forms import Chosen, EmailAddress, Form, MaxLength, Required, message_for
from ..helpers import GROUND_LABELS, KIND_LABELS, as_int
from ..i18n import lazy_gettext as _l
from ..messages import ATTACHMENT_HINT, choices, sized


def valid_org_number(form, field):
    try:
        parse_company_identifier(field.data or "")
    except InvalidIdentifier as exc:
        raise ValidationError(message_for(form, field, f"org_{exc.code}")) from None


def _area_id(value) -> int:
    """The chosen area's id; 0 ("Choose…") for anything that is not a number, so the field says "choose"."""
    return value if isinstance(value, int) else as_int(str(value)) or 0


ORG_NUMBER = {
    "required": _l("Enter the company's organisation number"),
    "org_format": _l("Enter an organisation number with 10 digits, like 556677-8899"),
    "org_checksum": _l("The organisation number is not right – check the digits"),
    "org_date": _l("The personal identity number has no real date in it – check the digits"),
}
EMAIL = {
    "required": _l("Enter your e-mail address"),
    "invalid_email": _l("Enter an e-mail address in the correct format, like name@company.se"),
    "too_long": _l("The e-mail address must be %(n)s characters or fewer"),
}


class SubmitForm(Form):
    MESSAGES = {
        "kind": {"required": _l("Choose what the case is about"),
                 "invalid_choice": _l("Choose what the case is about")},
        "category_id": {"required": _l("Choose the area the case is about"),
                        "invalid_choice": _l("Choose the area the case is about"),
                        "kind_not_served": _l("That area does not take this kind of case – choose another area or "
                                              "another kind of case")},
        "complaint_ground": {"required": _l("Choose what the complaint is about"),
                             "invalid_choice": _l("Choose what the complaint is about")},
        "related_reference": {
            "too_long": _l("The case number must be %(n)s characters or fewer, like CF-2026-00012"),
            "unknown_case_of_company": _l("We cannot find a case with that number for this organisation number – "
                                          "check the number on your receipt, or leave the field empty")},
        "subject": {"required": _l("Enter a subject for the case"),
                    "too_long": _l("The subject must be %(n)s characters or fewer")},
        "description": {"required": _l("Describe what your case is about"),
                        "too_long": _l("The description must be %(n)s characters or fewer")},
        "org_number": ORG_NUMBER,
        "company_name": {"required": _l("Enter the company's name"),
                         "too_long": _l("The company name must be %(n)s characters or fewer")},
        "contact_name": {"required": _l("Enter your name"),
                         "too_long": _l("Your name must be %(n)s characters or fewer")},
        "contact_email": EMAIL,
        "contact_phone": {"too_long": _l("The phone number must be %(n)s characters or fewer")},
    }

    kind = RadioField(
        _l("What is it about?"),
        choices=choices((k, KIND_LABELS[k]) for k in workflow.KINDS),
        default="errand", validate_choice=False, validators=[Required(), Chosen()],
    )
    category_id = SelectField(_l("Area"), coerce=_area_id,
                              validate_choice=False, validators=[Required(), Chosen()])
    complaint_ground = RadioField(
        _l("What is the complaint about?"),
        choices=choices((g, GROUND_LABELS[g]) for g in complaints.VALUES),
        validate_choice=False,  # checked below: required and one of the grounds only for complaints
    )
    related_reference = StringField(
        _l("Case number the complaint is about (optional)"),
        description=_l("For example CF-2026-00012, from your receipt. Only for complaints."),
        validators=[Optional(), MaxLength(20)],
    )
    subject = StringField(_l("Subject"), validators=[Required(), MaxLength(200)])
    description = TextAreaField(_l("Describe your case"), validators=[Required(), MaxLength(10000)])
    org_number = StringField(
        _l("Organisation number"), description=_l("Ten digits, e.g. 556036-0793. Sole traders: your personal "
                                                  "identity number."),
        validators=[Required(), valid_org_number],
    )
    company_name = StringField(_l("Company name"), validators=[Required(), MaxLength(200)])
    contact_name = StringField(_l("Your name"), validators=[Required(), MaxLength(120)])
    contact_email = StringField(
        _l("E-mail"), description=_l("We send the receipt and our answers here."),
        validators=[Required(), MaxLength(254), EmailAddress()],
    )
    contact_phone = StringField(_l("Phone (optional)"), validators=[Optional(), MaxLength(40)])

    def validate_complaint_ground(self, field):
        if self.kind.data != "complaint":
            field.data = None
        elif not field.data:
            raise ValidationError(message_for(self, field, "required"))
        elif field.data not in complaints.VALUES:
            raise ValidationError(message_for(self, field, "invalid_choice"))


class AnswerForm(Form):
    MESSAGES = {
        "body": {"required": _l("Write your answer"),
                 "too_long": _l("Your answer must be %(n)s characters or fewer")},
        "attachments": {
            "too_many_files": _l("Choose at most 5 files"),
            "file_empty": _l("One of the chosen files is empty – choose it again or another file"),
            "file_too_large": sized(_l("Each file must be %(size)s or smaller")),
            "file_type": _l("Each file must be a PDF, an image, Word, Excel, PowerPoint or a text file"),
        },
    }

    body = TextAreaField(_l("Your answer"), validators=[Required(), MaxLength(10000)])
    attachments = MultipleFileField(
        _l("Attach files (optional)"),
        description=ATTACHMENT_HINT)


class EmailForm(Form):
    MESSAGES = {"email": {"required": _l("Enter the e-mail address you gave in your case"),
                          "invalid_email": EMAIL["invalid_email"]}}

    email = StringField(_l("E-mail"), validators=[Required(), EmailAddress()])


DONT_KNOW = "dont_know"
SURVEY_QUESTIONS = {
    "q_overall": _l("How satisfied are you, on the whole, with how your case was handled?"),
    "q_expectations": _l("How well did our service meet your expectations?"),
    "q_ideal": _l("How close did our service come to an ideal service?"),
    "f_information": _l("Information: was it easy to find and understand?"),
    "f_tillganglighet": _l("Accessibility: was it easy to reach us?"),
    "f_bemotande": _l("Treatment: how were you treated?"),
    "f_kompetens": _l("Competence: did we know what we were doing?"),
    "f_rattssakerhet": _l("Legal certainty: was your case handled fairly and correctly?"),
    "f_effektivitet": _l("Efficiency: was it handled quickly and simply?"),
}
_FACTOR_NAMES = {
    "f_information": _l("information"), "f_tillganglighet": _l("accessibility"), "f_bemotande": _l("treatment"),
    "f_kompetens": _l("competence"), "f_rattssakerhet": _l("legal certainty"), "f_effektivitet": _l("efficiency"),
}


class SurveyForm(Form):
    """The three NKI questions (required) and the six service factors (each may be "don't know / not
    applicable", stored as no answer), then a comment. The radio questions are built per survey, on the scale it
    was sent with: ``survey_form``."""

    scale = 6

    def answers(self) -> dict:
        """The answers as the survey service takes them: a number 1..k, or None ("don't know", or nothing)."""
        return {q: (None if self[q].data in (None, "", DONT_KNOW) else as_int(str(self[q].data)))
                for q in survey_rules.QUESTIONS}


_NKI_MESSAGES = {
    "q_overall": _l("Choose how satisfied you are on the whole"),
    "q_expectations": _l("Choose how well our service met your expectations"),
    "q_ideal": _l("Choose how close our service came to an ideal service"),
}


def survey_form(scale: int) -> type[SurveyForm]:
    """The survey's form on the scale 1..``scale``: the questions in their order, then the comment."""
    numbers = choices((str(n), str(n)) for n in range(1, scale + 1))
    dont_know = choices([(DONT_KNOW, _l("Don’t know / not applicable"))])
    fields: dict = {"scale": scale, "MESSAGES": {
        **{q: {"required": message, "invalid_choice": message} for q, message in _NKI_MESSAGES.items()},
        **{q: {"invalid_choice": _l("Choose a rating of %(factor)s from 1 to %(k)s, or “Don’t know / not "
                                    "applicable”", factor=name, k=scale)} for q, name in _FACTOR_NAMES.items()},
        "comment": {"too_long": _l("Your comment must be %(n)s characters or fewer")},
    }}
    for q in survey_rules.NKI_QUESTIONS:
        fields[q] = RadioField(SURVEY_QUESTIONS[q], choices=numbers, validate_choice=False,
                               validators=[Required(), Chosen()])
    for q in survey_rules.FACTOR_QUESTIONS:
        fields[q] = RadioField(SURVEY_QUESTIONS[q], choices=numbers + dont_know, validate_choice=False,
                               validators=[Optional(), Chosen()])
    fields["comment"] = TextAreaField(_l("Anything else you want to tell us? (optional)"),
                                      validators=[Optional(), MaxLength(5000)])
    return type("ScaleSurveyForm", (SurveyForm,), fields)
