"""Starting and ending a login session: one way for staff and company accounts alike."""
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ...services import accounts
from ...services.errors import InvalidInput
from ..i18n import gettext as _
from ..messages import apply_errors

# A preference, not a credential: the only thing a session keeps across a login or a logout.
KEPT = ("lang",)


def begin(account) -> None:
    """Log ``account`` in on a fresh session: nothing set before the login survives it (no session fixation)
    and the CSRF token is a new one, so a token seen before the login is worth nothing after it."""
    _fresh_session()
    login_user(account)


def end(account) -> None:
    """Log out: every session of the account ends (on every device, and any copy of the cookie with it).
    ``account`` may be Flask-Login's ``current_user`` (a proxy), anonymous or not."""
    if getattr(account, "is_authenticated", False):
        accounts.end_sessions(account._get_current_object() if hasattr(account, "_get_current_object")
                              else account)
    _fresh_session()
    logout_user()  # after the clearing: it asks Flask-Login to delete any remember-me cookie too


def leave() -> None:
    """This browser's session ends; the account's other sessions go on (a sign-in that ran its lifetime)."""
    _fresh_session()
    logout_user()


def _fresh_session() -> None:
    kept = {key: session[key] for key in KEPT if key in session}
    session.clear()
    session.update(kept)
    # Flask-WTF keeps the raw token in the session and its signed form for the request in g: drop both, and
    # the next form rendered gets a new token.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def password_page(this_endpoint: str, everywhere_endpoint: str):
    """The change-password page of staff and company accounts alike: a new password ends every other session,
    this browser goes on on a new one."""
    from .forms import PasswordForm

    form, account = PasswordForm(), current_user._get_current_object()
    if form.validate_on_submit():
        try:
            accounts.change_password(account, form.current_password.data, form.password.data,
                                     request.remote_addr or "", datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            begin(account)
            flash(_("Your new password is saved. You are logged out everywhere else."), "success")
            return redirect(url_for(this_endpoint))
    return render_template("auth/password.html", form=form, everywhere_url=url_for(everywhere_endpoint)), \
        (422 if form.is_submitted() else 200)


def home(user) -> str:
    """The first page after signing in: the reports for those who read them and work no cases, else the queue."""
    return url_for("reports.month") if accounts.permissions(user).lands_on_reports else url_for("officer.queue")


def safe_next(target: str | None) -> str | None:
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
