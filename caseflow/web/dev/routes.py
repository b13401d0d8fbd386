"""Development and demo only: the mail page (``/dev/mail``), so someone trying the demo can follow every mail
the app sent, with its links. The blueprint is registered only when ``CASEFLOW_ENV`` is development or demo
(``caseflow demo`` runs as development): in production the URL does not exist."""
from __future__ import annotations

import re

from flask import Blueprint, render_template
from markupsafe import Markup, escape

from ...services import devmail
from ..urls import base_url

bp = Blueprint("dev", __name__, url_prefix="/dev")
_URL = re.compile(r"https?://[^\s<>\"']+")


def linkify(text: str) -> Markup:
    """Plain text with the app's own addresses (under BASE_URL) as links; everything else escaped, so an
    address a company typed into a form stays text."""
    parts, last = [], 0
    own = base_url() + "/"
    for m in _URL.finditer(text or ""):
        url = m.group(0).rstrip(".,;:)")
        if not url.startswith(own):
            continue
        parts.append(escape(text[last:m.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = m.start() + len(url)
    parts.append(escape((text or "")[last:]))
    return Markup("").join(parts)


@bp.get("/mail")
def mail():
    return render_template("dev/mail.html", mails=devmail.sent_mails(), linkify=linkify)
