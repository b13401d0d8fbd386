from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ...services import accounts
from ...services.errors import InvalidInput
from .. import form_view, limited
from ..i18n import gettext as _
from ..messages import apply_errors
from . import bp
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated and current_user.role != "company":
        return redirect(url_for("reports.month") if current_user.role == "analyst" else url_for("officer.queue"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except InvalidInput as exc:  # locked out for a while
            apply_errors(form, exc.fields)
        else:
            if user is not None:
                login_user(user)
                home = url_for("reports.month") if user.role == "analyst" else url_for("officer.queue")
                return redirect(_safe_next(request.args.get("next")) or home)
            form.form_errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form), (422 if form.is_submitted() else 200)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
