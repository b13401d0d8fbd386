"""Rendering and sending e-mail. Bodies are rendered in the case's language, in plain text and HTML."""
from __future__ import annotations

import hashlib
import hmac
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger(__name__)


@dataclass
class RenderedMail:
    to: str
    subject: str
    text: str
    html: str
    message_id: str


def render(template: str, to: str, lang: str, message_id: str, **context) -> RenderedMail:
    with force_locale(lang):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return RenderedMail(to, subject, text, html, message_id)


def send(mail: RenderedMail) -> str:
    """Send through SMTP when configured; otherwise log it (the outbox row keeps it). Returns how it went."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    # A stable Message-ID per outbox row lets receiving systems drop a duplicate if a retry ever resends.
    msg["Message-ID"] = mail.message_id
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (no SMTP configured) to=%s subject=%s", mail.to, mail.subject)
        return "logged"
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)
    return "smtp"


def message_id_for(outbox_id: int) -> str:
    """The same Message-ID every time one outbox row is sent, so a receiver can drop a resent duplicate.
    The installation's part (derived from SECRET_KEY) keeps ids of two installations apart."""
    install = hmac.new(current_app.config["SECRET_KEY"].encode(), b"message-id", hashlib.sha256).hexdigest()[:16]
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "caseflow.invalid"
    return f"<outbox.{outbox_id}.{install}@{host}>"
