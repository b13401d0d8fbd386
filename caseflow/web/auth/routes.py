
from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ...services import accounts
from ...services.errors import InvalidInput
from .. import form_view, limited
from ..i18n import gettext as _
from ..messages import apply_errors
from . import bp, sessions, sso
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def login():
    if current_user.is_authenticated and not accounts.permissions(current_user).company_account:
        return redirect(sessions.home(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except InvalidInput as exc:  # locked out for a while, from this address
            apply_errors(form, exc.fields)
        else:
            if user is not None:
                sessions.begin(user)
                return redirect(sessions.safe_next(request.args.get("next")) or sessions.home(user))
            form.form_errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form, **sso.sign_in_options()), \
        (422 if form.is_submitted() else 200)


@bp.post("/logout")
def logout():
    signed_in_through = session.get("sso")  # the identity provider's session ends too, if it offers that
    sessions.end(current_user)
    flash(_("You are logged out."), "info")
    return redirect(sso.provider_logout(signed_in_through) or url_for("auth.login"))


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
