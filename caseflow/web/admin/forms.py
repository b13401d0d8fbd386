"""One form per configuration entity; field names are the model's attribute names."""
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...domain import enums
from ..forms import DecimalNumberField, EmailAddress, Form
from ..i18n import enum_choices
from ..i18n import lazy_gettext as _l
from ..messages import choices

REQUIRED = _l("Please fill in this field.")
NOT_AN_OPTION = _l("“%(value)s” is not one of the options – choose among the ones listed")


def enum_select(label, enumeration, first=None, **kwargs) -> SelectField:
    """A select of a domain enumeration (domain.enums): its values, with their labels in the page's language. A
    value that is not one of them is refused with a message naming it."""
    return EnumSelect(label, choices=choices(enum_choices(enumeration, first)), **kwargs)


class EnumSelect(SelectField):
    def pre_validate(self, form):
        if self.data not in {str(c[0] if isinstance(c, tuple) else c.value) for c in self.choices}:
            raise ValidationError(str(NOT_AN_OPTION) % {"value": self.data})


class EnumChecklist(SelectMultipleField):
    """Several values of a domain enumeration as checkboxes, stored comma-separated ("errand,complaint"); a posted
    value that is not one of them ("Klagomål" for "complaint") is refused with a message naming it."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label, enumeration, **kwargs):
        super().__init__(label, choices=choices(enum_choices(enumeration)), **kwargs)

    def process_data(self, value):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        super().process_data(value)

    def process_formdata(self, valuelist):
        # a value posted as the list is stored ("errand,question") is read as those values
        super().process_formdata([v.strip() for text in valuelist for v in str(text).split(",") if v.strip()])

    def pre_validate(self, form):
        known = {str(c[0] if isinstance(c, tuple) else c.value) for c in self.choices}
        for value in self.data or ():
            if value not in known:
                raise ValidationError(str(NOT_AN_OPTION) % {"value": value})


def yes_no_unset(value) -> bool | None:
    """A yes / no / not set choice as the model keeps it: True, False or None."""
    if value in (True, "True"):
        return True
    if value in (False, "False"):
        return False
    return None


class OfficeForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    name = StringField(_l("Name (Swedish)"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("Office e-mail"), validators=[Optional(), EmailAddress(internal_hosts=True),
                                                         Length(max=254)])
    is_entry = BooleanField(_l("Entry point: gets every case no rule routes elsewhere"))
    active = BooleanField(_l("Active"), default=True)


class CategoryForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=60)])
    name = StringField(_l("Name (Swedish)"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=120)])
    kinds = EnumChecklist(_l("Kinds it accepts"), enums.KIND, default=list(enums.KIND.values),
                          validators=[DataRequired(message=_l("Choose at least one kind."))])
    default_office_id = SelectField(_l("Default office"), coerce=int, validate_choice=False)
    statutory = enum_select(_l("Statutory clock"), enums.STATUTORY, ("", _l("None")))
    appealable = SelectField(
        _l("Can its decisions be appealed?"), coerce=yes_no_unset,
        choices=choices([(None, _l("Not set: the company is told to ask us")), (True, _l("Yes")), (False, _l("No"))]),
        description=_l("Shown with every decision in the category (förvaltningslagen 33 §)."))
    appeal_body = StringField(
        _l("Appealed to"), validators=[Optional(), Length(max=200)],
        description=_l("The body that tries an appeal, e.g. Länsstyrelsen Östergötland or Förvaltningsrätten i "
                       "Linköping. Only when decisions can be appealed."))
    appeal_weeks = IntegerField(
        _l("Weeks to appeal"), validators=[Optional()],
        description=_l("From the day the company received the decision; three weeks by förvaltningslagen 44 §, "
                       "unless another law says otherwise."))
    position = IntegerField(_l("Order in lists"), default=0, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)


class RuleForm(Form):
    position = IntegerField(_l("Order (lower is tried first)"), default=100, validators=[Optional()])
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    office_id = SelectField(_l("Route to office"), coerce=int, validate_choice=False)
    kinds = EnumChecklist(_l("Kinds (none chosen = any)"), enums.KIND, validators=[Optional()])
    category_id = SelectField(_l("Category (empty = any)"), coerce=int, validate_choice=False)
    keywords = StringField(_l("Keywords in subject or description (comma-separated, any of them)"),
                           validators=[Optional()])
    org_numbers = StringField(_l("Organisation numbers (comma-separated)"), validators=[Optional()])
    legal_forms = EnumChecklist(_l("Legal forms (none chosen = any)"), enums.LEGAL_FORM, validators=[Optional()])
    assign_strategy = enum_select(_l("Assignment"), enums.ASSIGN_STRATEGY)
    active = BooleanField(_l("Active"), default=True)


class PolicyForm(Form):
    clock = enum_select(_l("Clock"), enums.POLICY_CLOCK)
    kind = enum_select(_l("Kind (empty = any)"), enums.KIND, ("", _l("Any")))
    category_id = SelectField(_l("Category (empty = any)"), coerce=int, validate_choice=False)
    priority = enum_select(_l("Priority (empty = any)"), enums.PRIORITY, ("", _l("Any")))
    unit = enum_select(_l("Unit"), enums.UNIT)
    target = IntegerField(_l("Target"), validators=[DataRequired(message=REQUIRED), NumberRange(min=1, max=1000)])
    warn_percent = IntegerField(_l("Warn at (percent of the target)"), default=80,
                                validators=[DataRequired(message=REQUIRED), NumberRange(min=1, max=99)])
    pauses = BooleanField(_l("Pauses while waiting for the company"))
    # no description to type: the listing builds it from the target and unit (a typed one went stale)
    active = BooleanField(_l("Active"), default=True)


class CannedForm(Form):
    office_id = SelectField(_l("Office (empty = all offices)"), coerce=int, validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(message=REQUIRED), Length(max=10000)])
    active = BooleanField(_l("Active"), default=True)


class UserForm(Form):
    email = StringField(_l("E-mail"), validators=[DataRequired(message=REQUIRED), EmailAddress(internal_hosts=True),
                                                  Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    role = enum_select(_l("Role"), enums.ROLE)
    office_id = SelectField(_l("Office"), coerce=int, validate_choice=False)
    password = PasswordField(_l("New password (at least 10 characters; empty keeps the current one)"),
                             validators=[Optional()])
    active = BooleanField(_l("Active (can log in)"), default=True)


class RouteTestForm(Form):
    class Meta:
        csrf = False  # a GET form that changes nothing

    kind = enum_select(_l("Kind"), enums.KIND)
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=False)
    subject = StringField(_l("Subject"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    org_number = StringField(_l("Organisation number"), validators=[Optional()])


# a Handslaget measure's handslag and monthly-report measure, by their labels (the form's choices, the audit log's)
HANDSLAG_LABELS = {1: _l("1 Treatment (bemötande)"), 2: _l("2 Relations"), 3: _l("3 Attractiveness")}
KPI_LABELS = {
    "within_target": _l("Share within target"), "response_rate": _l("Response rate (survey)"), "nki": "NKI",
    "complaints_per_100": _l("Complaints per 100 cases"), "first_response_median_h": _l("First response, median (h)"),
    "resolution_median_h": _l("Resolution, median (h)"), "backlog": _l("Backlog"),
    "routing_right_rate": _l("Share routed right the first time"), "reopen_rate": _l("Reopen rate")}


class MeasureForm(Form):
    handslag = SelectField(_l("Handslag"), coerce=int, choices=choices(HANDSLAG_LABELS.items()))
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=20)])
    title = StringField(_l("Action point"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    title_en = StringField(_l("Action point (English)"), validators=[Optional(), Length(max=200)])
    kpi = SelectField(_l("Measure (from the monthly report)"), choices=choices(KPI_LABELS.items()))
    target = DecimalNumberField(_l("Target"), validators=[DataRequired(message=REQUIRED)],
                                description=_l("A share is written as a decimal: 0.9 is 90 %."))
    higher_is_better = BooleanField(_l("Higher is better"))
    at_risk_margin = DecimalNumberField(_l("At risk within (share of the target, e.g. 0.1)"), default=0.1,
                                validators=[NumberRange(min=0, max=1)])
    active = BooleanField(_l("Active"), default=True)


class ReportSettingsForm(Form):
    survey_scale = IntegerField(_l("Survey answer scale 1..k (k)"), default=6,
                                validators=[DataRequired(message=REQUIRED), NumberRange(min=3, max=10)])
    nki_weights = StringField(_l("NKI weights of the three questions (comma-separated)"), default="1,1,1")
    min_answers = IntegerField(_l("Fewest answers to show a figure"), default=7, validators=[NumberRange(min=1)])
    min_answers_compare = IntegerField(_l("Fewest answers to compare"), default=10, validators=[NumberRange(min=1)])
    recipients = StringField(_l("Recipients of the monthly report (comma-separated e-mail)"),
                             validators=[Optional()])


class TokenForm(Form):
    name = StringField(_l("Which integration uses it"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    scopes = EnumChecklist(_l("Scopes"), enums.SCOPE,
                           validators=[DataRequired(message=_l("Choose at least one scope."))])
    user_email = StringField(_l("Staff e-mail (officer tokens act as this user)"), validators=[Optional()])


class CompanyLookupForm(Form):
    class Meta:
        csrf = False  # a search (GET): changes nothing

    org_number = StringField(_l("Organisation number"), validators=[DataRequired(message=REQUIRED)])


class CompanyGrantForm(Form):
    email = StringField(_l("E-mail of the company account"),
                        description=_l("The person must have a company account with a confirmed address."),
                        validators=[DataRequired(message=REQUIRED), Length(max=254)])
    reason = TextAreaField(_l("How you checked that the person acts for the company"),
                           description=_l("For example: called the company's switchboard, checked the register of "
                                          "signatories. Kept in the audit log."),
                           validators=[DataRequired(message=REQUIRED), Length(max=500)])


class SsoGroupForm(Form):
    """A group at the identity provider and what its members are here (services.sso)."""

    group = StringField(_l("Group at the identity provider"), description=_l(
        "Exactly as the provider sends it in the groups claim (a name or an object id)."),
        validators=[DataRequired(message=REQUIRED), Length(max=255)])
    role = enum_select(_l("Role"), enums.ROLE)
    office_id = SelectField(_l("Office"), coerce=int, validate_choice=False)
    active = BooleanField(_l("Active (members can sign in)"), default=True)
