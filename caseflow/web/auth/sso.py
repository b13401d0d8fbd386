"""Staff sign-in through the organisation's identity provider (services.sso) and the break-glass login.

A sign-in through the provider holds for SSO_SESSION_MINUTES (60 by default, docs/design.md "Staff sign-in"):
then this browser's session ends and a staff page sends the person through the provider again — without a
password while the provider's own session lasts, not at all when the provider no longer knows them."""
import logging
import time
from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from ...services import break_glass, sso
from ...services.errors import InvalidInput, NotFound
from .. import form_view, limited
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..messages import apply_errors
from ..urls import external_url
from . import bp, sessions
from .forms import BreakGlassForm

log = logging.getLogger(__name__)

REFUSALS = {
    "not_configured": _l("Sign-in through the organisation's identity provider is not set up here."),
    "provider_down": _l("The identity provider does not answer right now. Nothing was changed. Try again in a "
                        "moment; if it goes on, tell the IT service desk."),
    "state": _l("This sign-in was not started from this browser, or it was already used. Nothing was changed. "
                "Start again from the login page."),
    "provider_refused": _l("The identity provider did not confirm this sign-in (it may already have been used, "
                           "or it was cancelled). Nothing was changed. Start again from the login page."),
    "token": _l("The identity provider's answer could not be verified, so nobody was signed in. Start again; if "
                "it goes on, tell the IT service desk."),
    "expired": _l("The identity provider's answer had expired, so nobody was signed in. Check that the "
                  "computer's clock is right and start again."),
    "audience": _l("The identity provider's answer was meant for another service, so nobody was signed in. Tell "
                   "the IT service desk."),
    "no_access": _l("You are signed in at your organisation, but none of your groups gives access to caseflow. "
                    "Ask your manager or the IT service desk to add you to the right group."),
    "inactive": _l("Your caseflow account has been deactivated by an administrator here. Ask them whether you "
                   "should have access."),
    "email_unverified": _l("Your identity provider has not confirmed your e-mail address, so caseflow cannot "
                           "tell which account is yours. Nobody was signed in and nothing was changed. Ask the IT "
                           "service desk to confirm the address at the provider."),
    "email_taken": _l("Your identity provider gives an e-mail address that another caseflow user already has, "
                      "so nobody was signed in and nothing was changed. Ask a caseflow administrator."),
}
# A sign-in that ran out is taken through the provider again at once on these pages (a GET only: a form sent
# after the lifetime is refused and the person signs in again).
STAFF_BLUEPRINTS = {"officer", "admin", "reports"}


def sign_in_options() -> dict:
    """For the login page: the provider's button (when configured) and whether passwords are on."""
    provider = sso.settings(sso.STAFF)
    label = (provider or {}).get("label") or _("your organisation's account")
    return {"sso_label": label if provider else None, "passwords": sso.staff_passwords_allowed(),
            "break_glass": not sso.staff_passwords_allowed() and bool(break_glass.admin_email())}


@bp.get("/sso/login")
def sso_login():
    try:
        url = sso.begin(sso.STAFF, external_url("auth.sso_callback"))
    except sso.SignInRefused as exc:
        return _refused(exc)
    session["sso_next"] = sessions.safe_next(request.args.get("next"))
    return redirect(url)


@bp.get("/sso/callback")
def sso_callback():
    next_url = sessions.safe_next(session.pop("sso_next", None))
    now = datetime.now(UTC)
    try:
        user, id_token = sso.finish(sso.STAFF, now)
    except sso.SignInRefused as exc:
        return _refused(exc)
    sessions.begin(user)
    minutes = current_app.config.get("SSO_SESSION_MINUTES", 60)
    session["sso"] = {"provider": sso.STAFF, "until": int(time.time()) + 60 * int(minutes), "id_token": id_token}
    return redirect(next_url or sessions.home(user))


def _refused(exc: "sso.SignInRefused"):
    log.info("staff sign-in through the provider refused: %s %s", exc.reason, exc.detail)
    return render_template("auth/sso_refused.html", reason=exc.reason, message=REFUSALS.get(exc.reason),
                           passwords=sso.staff_passwords_allowed()), exc.status


@bp.before_app_request
def _sign_in_lifetime():
    """A sign-in through the provider that has run its lifetime ends in this browser (the person's other
    sessions run their own); a staff page then goes through the provider again."""
    data = session.get("sso")
    if not data or time.time() < data.get("until", 0):
        return None
    sessions.leave()
    if request.method == "GET" and request.blueprint in STAFF_BLUEPRINTS and sso.enabled(sso.STAFF):
        return redirect(url_for("auth.sso_login", next=request.full_path.rstrip("?")))
    flash(_("Your sign-in has expired. Please sign in again."), "info")
    return None


@bp.after_app_request
def _logout_may_leave_for_the_provider(resp):
    """The logout form's answer sends the browser to the provider's end-session page, and browsers hold a form's
    redirects to the page's CSP form-action: on the pages of a sign-in through the provider, that provider's
    origin is allowed there too (the app's policy is otherwise unchanged)."""
    data = session.get("sso")
    policy = resp.headers.get("Content-Security-Policy", "")
    if data and "form-action 'self'" in policy:
        origins = sso.provider_origins(data.get("provider", ""))
        if origins:
            resp.headers["Content-Security-Policy"] = policy.replace(
                "form-action 'self'", "form-action 'self' " + " ".join(origins))
    return resp


def provider_logout(data: dict | None) -> str | None:
    """Where to send the browser after caseflow's own logout: the provider's end-session page, if it has one."""
    if not data or not sso.enabled(data.get("provider", "")):
        return None
    return sso.logout_url(data["provider"], data.get("id_token", ""), external_url("auth.login"))


@bp.route("/break-glass", methods=["GET", "POST"])
@form_view
@limited("LOGIN_RATE_LIMIT", failures_only=True)
def break_glass_login():
    """Only while passwords are off: the named administrator's password and TOTP code."""
    if sso.staff_passwords_allowed() or not break_glass.admin_email():
        raise NotFound("break_glass")
    if current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    form = BreakGlassForm()
    if form.validate_on_submit():
        try:
            user = break_glass.authenticate(form.email.data, form.password.data, form.code.data,
                                            request.remote_addr or "", datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            if user is not None:
                sessions.begin(user)
                return redirect(url_for("admin.index"))
            form.form_errors.append(_("Wrong e-mail, password or code."))
    return render_template("auth/break_glass.html", form=form), (422 if form.is_submitted() else 200)
