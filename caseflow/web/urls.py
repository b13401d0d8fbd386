"""Absolute URLs: built from BASE_URL only.

The Host header is whatever the client wrote, so a URL built from it (``url_for(..., _external=True)``,
``request.host_url``, ``request.url_root``) would let anyone put their own host into a page, a JSON answer or
the API document. Every absolute URL of the web layer comes from here instead; services build theirs from
BASE_URL the same way (the tracking and survey links in mails).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """Where the app is served, without a trailing slash (e.g. ``https://foretag.example.se``)."""
    return current_app.config["BASE_URL"]


def external_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` as an absolute URL under BASE_URL, with or without a request."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
