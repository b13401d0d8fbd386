from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ...services import accounts, company_access
from ...services.errors import Forbidden, InvalidInput
from .. import form_view, limited
from ..auth import sessions
from ..i18n import gettext as _
from ..i18n import lang
from ..messages import apply_errors
from . import bp
from .forms import AcceptInvitationForm, InviteForm, LoginForm, RegisterForm, ResetForm, ResetRequestForm, VerifyForm


def _company_only():
    if not accounts.permissions(current_user).company_account:
        return redirect(url_for("account.login"))
    return None


@bp.get("/")
def home():
    if (bounce := _company_only()) is not None:
        return bounce
    return render_template("account/home.html", cases=company_access.cases_of(current_user),
                           companies=company_access.companies_of(current_user))


def _company_page(company_id: int, form: InviteForm, status: int = 200):
    page = company_access.company_page(current_user, company_id)  # NotFound unless a grant holder
    now = datetime.now(UTC)
    states = {inv.id: company_access.invitation_state(inv, now) for inv in page.invitations}
    return render_template("account/company.html", page=page, form=form, states=states), status


@bp.get("/companies/<int:company_id>")
def company(company_id: int):
    if (bounce := _company_only()) is not None:
        return bounce
    return _company_page(company_id, InviteForm(formdata=None))


@bp.post("/companies/<int:company_id>/invitations")
@form_view
@limited("MAIL_RATE_LIMIT")
def invite(company_id: int):
    if (bounce := _company_only()) is not None:
        return bounce
    form = InviteForm()
    if form.validate_on_submit():
        try:
            inv = company_access.invite(current_user, company_id, form.email.data, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            flash(_("The invitation is on its way to %(email)s.", email=inv.email), "success")
            return redirect(url_for("account.company", company_id=company_id))
    return _company_page(company_id, form, 422)


@bp.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int):
    if (bounce := _company_only()) is not None:
        return bounce
    inv = company_access.revoke_invitation(current_user, invitation_id, datetime.now(UTC))
    flash(_("The invitation is withdrawn. If it had been accepted, that access has ended."), "success")
    return redirect(url_for("account.company", company_id=inv.company_id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@form_view
def invitation(token: str):
    g.no_store = True
    now = datetime.now(UTC)
    try:
        inv = company_access.invitation_for_token(token, now)
    except InvalidInput:
        return render_template("account/invitation_invalid.html"), 400
    if not accounts.permissions(current_user).company_account:
        if request.method == "POST":
            flash(_("Log in with the address the invitation was sent to, then open the link again."), "info")
            return redirect(url_for("account.login"))
        return render_template("account/invitation.html", inv=inv, form=None, wrong_account=False)
    if current_user.email != inv.email:  # the link alone is not enough: the address must be this account's
        return render_template("account/invitation.html", inv=inv, form=None, wrong_account=True), 403
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            company_access.accept_invitation(current_user, token, now)
        except InvalidInput:
            return render_template("account/invitation_invalid.html"), 400
        except Forbidden:
            return render_template("account/invitation.html", inv=inv, form=None, wrong_account=True), 403
        flash(_("You now see every case of %(company)s.", company=inv.company.name), "success")
        return redirect(url_for("account.home"))
    return render_template("account/invitation.html", inv=inv, form=form, wrong_account=False), \
        (422 if form.is_submitted() else 200)


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


@bp.route("/verify/<token>", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def verify(token: str):
    """The confirmation link opens a page that asks for the account's password: the link proves the mailbox, the
    password that this is the person who registered. Only both confirm the address and log in."""
    g.no_store = True
    try:
        account = accounts.account_to_verify(token)
    except InvalidInput:
        return render_template("account/link_expired.html"), 400
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            account = accounts.verify_company_account(token, form.password.data, request.remote_addr or "",
                                                      datetime.now(UTC))
        except InvalidInput as exc:
            if "token" in exc.fields:
                return render_template("account/link_expired.html"), 400
            apply_errors(form, exc.fields)
        else:
            sessions.begin(account)
            flash(_("Your e-mail address is confirmed. Welcome!"), "success")
            return redirect(url_for("account.home"))
    return render_template("account/verify.html", form=form, email=account.email), \
        (422 if form.is_submitted() else 200)


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
    return sessions.password_page("account.password", "account.logout_everywhere")


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


