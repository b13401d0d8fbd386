"""Administration of the sign-in through the identity provider: which provider group gives which role at which
office (services.sso applies a change to everyone at once). Behind the admin blueprint's own check."""
from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...services import catalog, sso
from ...services.errors import InvalidInput
from .. import form_view
from ..i18n import gettext as _
from ..i18n import lang
from ..messages import apply_errors, choices
from . import bp
from .forms import SsoGroupForm


@bp.route("/sso-groups", methods=["GET", "POST"])
@bp.route("/sso-groups/<int:mapping_id>", methods=["GET", "POST"])
@form_view
def sso_groups(mapping_id: int | None = None):
    row = sso.mapping(current_user, mapping_id) if mapping_id else None
    form = SsoGroupForm(obj=row)
    if row is not None and row.office_id is None:
        form.office_id.data = 0
    form.office_id.choices = choices([(0, _("None"))] + [(o.id, o.display_name(lang())) for o in catalog.offices()])
    if form.validate_on_submit():
        try:
            sso.save_mapping(current_user, mapping_id, {
                "group": form.group.data, "role": form.role.data, "office_id": form.office_id.data or None,
                "active": form.active.data}, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            flash(_("Saved. The change applies now to everyone who signs in through the identity provider."),
                  "success")
            return redirect(url_for("admin.sso_groups"))
    return render_template("admin/sso_groups.html", form=form, row=row, rows=sso.mappings(current_user),
                           configured=sso.enabled(sso.STAFF)), (422 if form.is_submitted() else 200)
