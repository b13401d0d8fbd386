"""The mail receiver: an LMTP server (aiosmtpd) behind the municipality's mail server, run as its own process
(``caseflow mail-in``). Postfix hands it the mail for the reply domain and the service's address
(``transport``: ``lmtp:inet:127.0.0.1:8024``); each message is registered and acted on by services.inbound in one
transaction before the receiver says 250, so a mail is never lost: on any failure it answers 451 and Postfix keeps
the mail and tries again. Why LMTP and not IMAP: docs/design.md "Incoming mail".

LMTP answers once per recipient after DATA (RFC 2033); Postfix is set to one recipient per delivery anyway
(``lmtp_destination_recipient_limit = 1``), so each recipient is a transaction of its own.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

log = logging.getLogger(__name__)
# aiosmtpd logs every command line at INFO, the reply address with its proof among them (a proof lets whoever
# reads the log write into the case): its protocol chatter stays out of the log, warnings and errors not.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class InboundHandler:
    """aiosmtpd's handler: which recipients are ours (RCPT) and what each message becomes (DATA)."""

    def __init__(self, app: Flask):
        self.app = app

    def _ours(self, address: str) -> bool:
        cfg = self.app.config
        address = address.strip().lower()
        domain = cfg.get("MAIL_REPLY_DOMAIN") or ""
        return bool(address) and (address == cfg.get("MAIL_INBOUND_ADDRESS")
                                  or (bool(domain) and address.endswith("@" + domain)))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self._ours(address):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        answers = []
        for recipient in envelope.rcpt_tos:
            answers.append(await asyncio.to_thread(self._receive, raw, envelope.mail_from or "", recipient))
        # LMTP: one answer per recipient (RFC 2033 4.2); aiosmtpd writes the lines as they are
        return "\r\n".join(answers) if answers else "554 5.5.1 No valid recipients"

    def _receive(self, raw: bytes, mail_from: str, recipient: str) -> str:
        from .services import inbound

        with self.app.app_context():
            result = inbound.receive(raw, mail_from, recipient, datetime.now(UTC))
            log.info("incoming mail to %s: %s (%s)", recipient.split("+", 1)[0].split("@", 1)[0], result.outcome,
                     result.answer)
            return result.answer


class _LmtpController(Controller):
    def factory(self):
        return LMTP(self.handler, data_size_limit=self.data_size_limit, enable_SMTPUTF8=True,
                    decode_data=False, ident="caseflow mail-in")


def controller(app: Flask, host: str | None = None, port: int | None = None) -> Controller:
    """The receiver for ``app``, not started. Mails larger than MAIL_IN_MAX_BYTES are still taken (up to four
    times that) so the sender gets a polite answer from us instead of a bare refusal; beyond, 552."""
    ctl = _LmtpController(InboundHandler(app), hostname=host or app.config["MAIL_IN_HOST"],
                          port=port if port is not None else app.config["MAIL_IN_PORT"])
    ctl.data_size_limit = app.config["MAIL_IN_MAX_BYTES"] * 4
    return ctl


def serve(app: Flask, host: str | None = None, port: int | None = None) -> None:
    """Run the receiver until interrupted (``caseflow mail-in``)."""
    import signal
    import threading

    ctl = controller(app, host, port)
    ctl.start()
    log.warning("caseflow mail-in: LMTP on %s:%s", ctl.hostname, ctl.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        ctl.stop()
