from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...services import accounts
from ...services.errors import InvalidInput
from .. import form_view, limited
from ..auth import sessions
from ..auth.forms import PasswordForm
from ..i18n import gettext as _
from ..i18n import lang
from ..messages import apply_errors
from . import bp
from .forms import AddCompanyForm, LoginForm, RegisterForm, ResetForm, ResetRequestForm


def _company_only():
    if getattr(current_user, "role", None) != "company":
        return redirect(url_for("account.login"))
    return None


@bp.get("/")
def home():
    if (bounce := _company_only()) is not None:
        return bounce
    return render_template("account/home.html", cases=accounts.cases_of(current_user),
                           companies=accounts.companies_of(current_user), form=AddCompanyForm())


@bp.post("/companies")
@form_view
def add_company():
    if (bounce := _company_only()) is not None:
        return bounce
    form = AddCompanyForm()
    if form.validate_on_submit():
        try:
            accounts.add_company(current_user, form.org_number.data, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            flash(_("The company is linked to your account."), "success")
            return redirect(url_for("account.home"))
    return render_template("account/home.html", cases=accounts.cases_of(current_user),
                           companies=accounts.companies_of(current_user), form=form), 422


@bp.route("/register", methods=["GET", "POST"])
@form_view
@limited("MAIL_RATE_LIMIT")
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            accounts.register_company_account(form.email.data, form.name.data, form.password.data, lang(),
                                              datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            return render_template("account/check_mail.html", email=form.email.data)
    return render_template("account/register.html", form=form), (422 if form.is_submitted() else 200)


@bp.get("/verify/<token>")
def verify(token: str):
    try:
        account = accounts.verify_company_account(token, datetime.now(UTC))
    except InvalidInput:
        return render_template("account/link_expired.html"), 400
    sessions.begin(account)
    flash(_("Your e-mail address is confirmed. Welcome!"), "success")
    return redirect(url_for("account.home"))


@bp.route("/login", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            account = accounts.authenticate_company(form.email.data, form.password.data, request.remote_addr or "")
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            if account is not None:
                sessions.begin(account)
                return redirect(url_for("account.home"))
            form.form_errors.append(_("Wrong e-mail or password."))
    return render_template("account/login.html", form=form), (422 if form.is_submitted() else 200)


@bp.post("/logout")
def logout():
    sessions.end(current_user)
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def password():
    if (bounce := _company_only()) is not None:
        return bounce
    form, account = PasswordForm(), current_user._get_current_object()
    if form.validate_on_submit():
        try:
            accounts.change_password(account, form.current_password.data, form.password.data,
                                     request.remote_addr or "", datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            sessions.begin(account)  # this browser goes on, on a new session
            flash(_("Your new password is saved. You are logged out everywhere else."), "success")
            return redirect(url_for("account.password"))
    return render_template("auth/password.html", form=form, everywhere_url=url_for("account.logout_everywhere")), \
        (422 if form.is_submitted() else 200)


@bp.post("/logout-everywhere")
def logout_everywhere():
    if (bounce := _company_only()) is not None:
        return bounce
    sessions.end(current_user)
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("account.login"))


@bp.route("/reset", methods=["GET", "POST"])
@form_view
@limited("MAIL_RATE_LIMIT")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, lang(), datetime.now(UTC))
        flash(_("If there is an account for that address, a link to choose a new password is on its way."),
              "success")
        return redirect(url_for("account.login"))
    return render_template("account/reset_request.html", form=form), (422 if form.is_submitted() else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@form_view
def reset(token: str):
    form = ResetForm()
    if form.validate_on_submit():
        try:
            account = accounts.reset_password(token, form.password.data, datetime.now(UTC))
        except InvalidInput as exc:
            if "token" in exc.fields:
                return render_template("account/link_expired.html"), 400
            apply_errors(form, exc.fields)
        else:
            sessions.begin(account)  # every other session of the account ended with the reset
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("account.home"))
    return render_template("account/reset.html", form=form), (422 if form.is_submitted() else 200)


