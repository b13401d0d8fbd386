"""Blueprints. Thin: parse input, call one service, render or redirect."""
from flask import current_app

from ..extensions import csrf, limiter


def checks_text(view):
    """Mark a view whose form body is checked field by field with the rule for text (domain.text): a form of
    web.forms.Form, or Open311's. The door's NUL check (create_app) then leaves the body to it, so a NUL gets a
    message on its field instead of a bare 400."""
    view.checks_text = True
    return view


def form_view(view):
    """Mark a view that validates a FlaskForm (a web.forms.Form): the form checks the CSRF token itself and,
    when it fails, re-renders with a message and everything the user typed, instead of the global check's bare
    400. Every other POST stays under the global CSRFProtect check."""
    return csrf.exempt(checks_text(view))


def limited(setting: str, failures_only: bool = False):
    """Rate-limit a view's POSTs by the configured limit ``setting`` (e.g. LOGIN_RATE_LIMIT), per client
    address. ``failures_only``: only refused attempts count (any answer but a redirect), so the successful
    logins of a whole office behind one address never use the allowance up; every POST is still checked."""
    deduct_when = (lambda response: response.status_code != 302) if failures_only else None
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"], deduct_when=deduct_when)
