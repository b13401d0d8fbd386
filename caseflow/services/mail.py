"""Rendering and sending e-mail. Bodies are rendered in the case's language, in plain text and HTML."""
from __future__ import annotations

import hashlib
import hmac
import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from ..domain import text

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """A mail that can never be sent as it is: trying again cannot help, so its outbox row becomes a dead letter.
    ``reason`` is a code (services.outbox.DEAD_REASONS), the message the detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def check_recipients(addresses: list[str]) -> None:
    """Raise PermanentFailure for an address no mail can go to: no @, a line break that would add a header,
    anything else that is not one plain address. The one check of an address (domain.text.email_address, the
    email-validator), with any host name as the domain: whether the domain receives mail is the mail server's
    answer, not ours, and a reserved or one-label name (``.invalid``, ``.local``, ``intranet``) may be what an
    internal relay serves."""
    for address in addresses:
        try:
            text.email_address(address, internal_hosts=True)
        except text.TextError:
            raise PermanentFailure("invalid_address", f"{address!r} is not one plain e-mail address") from None


@dataclass
class RenderedMail:
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    # Reply-To (the case's reply address), In-Reply-To and References (its thread): see services.inbound
    headers: dict = field(default_factory=dict)
    envelope_from: str | None = None  # bounces come back to the case's reply address, so they find their case


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
    try:
        msg["From"] = cfg["MAIL_FROM"]
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        # A stable Message-ID per outbox row lets receiving systems drop a duplicate if a retry ever resends.
        msg["Message-ID"] = mail.message_id
        for name, value in mail.headers.items():
            msg[name] = value
    except ValueError as exc:  # a header with a line break in it (old data): the same on every try
        raise PermanentFailure("malformed_message", str(exc)) from None
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    if not cfg.get("MAIL_SERVER"):
        # One line per mail; in development and demo also where to read it (the mail page).
        where = f" -> {cfg['BASE_URL']}/dev/mail" if cfg.get("CASEFLOW_ENV") in ("development", "demo") else ""
        log.info("mail (no SMTP configured) to=%s subject=%s%s", mail.to, mail.subject, where)
        return "logged"
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        try:
            refused = smtp.send_message(msg, from_addr=mail.envelope_from)
        except smtplib.SMTPRecipientsRefused as exc:  # every recipient refused
            _raise_if_permanent("address_refused", exc.recipients.values())
            raise
        except smtplib.SMTPDataError as exc:  # the message refused after the recipients were taken
            _raise_if_permanent("message_refused", [(exc.smtp_code, exc.smtp_error)])
            raise
    if refused:  # some of several recipients refused: the others have it, so it is not sent again
        log.warning("mail %s: recipients refused: %s", mail.message_id, sorted(refused))
    return "smtp"


def _raise_if_permanent(reason: str, answers) -> None:
    """SMTP's 5xx answers are permanent (RFC 5321 4.2.1: "do not repeat the exact request"), 4xx transient.
    A refused sender or a failed login (also 5xx) are left transient: they are our configuration, and the mail
    goes once that is mended (and is dead-lettered after the bounded retries if it never is)."""
    answers = list(answers)
    if answers and all(code >= 500 for code, _text in answers):
        detail = "; ".join(f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                           for code, text in answers)
        raise PermanentFailure(reason, f"SMTP {detail}"[:2000]) from None


def message_id_for(outbox_id: int) -> str:
    """The same Message-ID every time one outbox row is sent, so a receiver can drop a resent duplicate.
    The installation's part (derived from SECRET_KEY) keeps ids of two installations apart."""
    install = hmac.new(current_app.config["SECRET_KEY"].encode(), b"message-id", hashlib.sha256).hexdigest()[:16]
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "caseflow.invalid"
    return f"<outbox.{outbox_id}.{install}@{host}>"
