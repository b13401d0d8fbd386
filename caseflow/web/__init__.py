"""Blueprints. Thin: parse input, call one service, render or redirect."""
from ..extensions import csrf


def form_view(view):
    """Mark a view that validates a FlaskForm: the form checks the CSRF token itself and, when it fails,
    re-renders with a message and everything the user typed, instead of the global check's bare 400.
    Every other POST stays under the global CSRFProtect check."""
    return csrf.exempt(view)
