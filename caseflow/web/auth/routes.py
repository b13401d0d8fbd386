from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...services import accounts
from ...services.errors import InvalidInput
from .. import form_view, limited
from ..i18n import gettext as _
from ..messages import apply_errors
from . import bp, sessions
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def login():
    if current_user.is_authenticated and not accounts.permissions(current_user).company_account:
        return redirect(_home(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except InvalidInput as exc:  # locked out for a while, from this address
            apply_errors(form, exc.fields)
        else:
            if user is not None:
                sessions.begin(user)
                return redirect(_safe_next(request.args.get("next")) or _home(user))
            form.form_errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form), (422 if form.is_submitted() else 200)


def _home(user) -> str:
    """The first page after signing in: the reports for those who read them and work no cases, else the queue."""
    return url_for("reports.month") if accounts.permissions(user).lands_on_reports else url_for("officer.queue")


@bp.post("/logout")
def logout():
    sessions.end(current_user)
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def password():
    if accounts.permissions(current_user).company_account:  # a company account has its own page
        return redirect(url_for("account.password"))
    return sessions.password_page("auth.password", "auth.logout_everywhere")


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    sessions.end(current_user)
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: never an open redirect. A backslash, white space or a control character
    is refused outright: browsers read a backslash as a slash and drop tabs and line breaks (so ``/\\host`` and
    ``/<tab>/host`` lead away), Python's URL parser drops line breaks before it looks, and a header cannot hold
    them."""
    if not target or any(c == "\\" or c <= " " or c == "\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
