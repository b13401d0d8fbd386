from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import Form
from ..i18n import lazy_gettext as _l


class FreezeForm(Form):
    month = StringField(_l("Month (YYYY-MM)"), validators=[DataRequired()])
    label = StringField(_l("Label of a correction (optional)"), validators=[Optional(), Length(max=200)])
