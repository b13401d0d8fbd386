"""Incoming mail: a reply threads into its case, a mail to the service's address becomes a case, and nothing loops.

Called by the mail receiver (``caseflow mail-in``, caseflow/mailin.py) once per message and recipient; returns the
SMTP/LMTP answer. Every mail is registered on arrival (an ``InboundMail`` row, and a ``mail_received`` event on its
case with arrival instant, sender and subject: OSL 5 kap.), in one transaction with what it causes. A failure
midway rolls all of that back, is written down as a ``failed`` row (the operations page lists it) and answered
4xx, so the mail server keeps the mail and delivers it again; the next attempt takes the row over.

Which case a reply belongs to is decided by its reply address ``svar+<case id>-<proof>@MAIL_REPLY_DOMAIN`` (the
proof an HMAC of the case's secret salt, like the tracking link: not guessable from the case number) or, when a
mail program replied to another of our addresses, by our thread id in In-Reply-To/References (HMAC-proved too);
never by the From header, which anyone can write. A From that is not the case's contact is shown to the officer.

A reply to a closed case starts a new case linked to it ("follow_up"), instead of reopening: reopening is an
officer's decision under the service promises (it restarts clocks and changes the month's figures), and the
commonest mail after a decision is a "tack!" that needs no reopening; the new case gives the company a case number
and a promise at once, and the officer sees the link to the closed one (docs/design.md "Incoming mail").
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..domain import mailparse, text
from ..domain.files import RejectedFile, check
from ..extensions import db
from ..models import Case, CaseLink, Company, InboundMail, User
from . import intake, public, snapshot, tracking
from .attachments import MAX_FILES, Upload
from .authorization import may_see_case, require_staff
from .dispatch import add_outbox
from .errors import NotFound
from .events import record
from .unit import transaction

log = logging.getLogger(__name__)

OK = "250 2.0.0 OK"
RETRY = "451 4.3.0 Temporary failure, please try again later"


# --- outgoing: the reply address and the thread a case's mails belong to ---------------------------------------

def _proof(case: Case, purpose: str, length: int) -> str:
    return tracking.token_for(case.tracking_salt, purpose)[:length]


def reply_address(case: Case) -> str | None:
    """Where the company's reply to a mail about ``case`` goes, or None when no reply domain is configured."""
    domain = current_app.config.get("MAIL_REPLY_DOMAIN")
    if not domain:
        return None
    return f"{mailparse.REPLY_LOCAL}+{case.id}-{_proof(case, 'reply', 32)}@{domain}"


def thread_id(case: Case) -> str:
    """The case's thread root: every mail about the case names it in In-Reply-To and References, so mail programs
    show them as one conversation and a reply written to another address still finds its case."""
    from urllib.parse import urlsplit

    host = urlsplit(current_app.config["BASE_URL"]).hostname or "caseflow.invalid"
    return f"<case.{case.id}.{_proof(case, 'thread', 16)}@{host}>"


def _case_for(mail: mailparse.ParsedMail, recipient: str) -> tuple[Case | None, bool]:
    """(the case this mail answers, whether a token was presented). A token that does not prove its case is no
    case at all: the same answer for a guessed and a mistyped one."""
    token = mailparse.reply_token(recipient, current_app.config.get("MAIL_REPLY_DOMAIN", ""))
    if token:
        case_id, proof = mailparse.split_token(token)
        case = db.session.get(Case, case_id)
        ok = case is not None and secrets.compare_digest(_proof(case, "reply", 32), proof)
        return (case if ok else None), True
    for case_id, proof in mailparse.thread_ids(mail):
        case = db.session.get(Case, case_id)
        if case is not None and secrets.compare_digest(_proof(case, "thread", 16), proof):
            return case, True
    return None, False


# --- incoming ---------------------------------------------------------------------------------------------------

@dataclass
class Result:
    answer: str  # the SMTP/LMTP reply line
    outcome: str
    inbound_id: int | None = None
    case_id: int | None = None


def receive(raw: bytes, envelope_from: str, recipient: str, now: datetime | None = None) -> Result:
    """Register and act on one incoming mail for one recipient. Never raises: a failure is a 4xx answer."""
    now = now or datetime.now(UTC)
    key, head = hashlib.sha256(raw).hexdigest(), {}
    try:
        mail = mailparse.parse(raw)
        key, head = mail.key, {"message_id": mail.message_id, "from_address": mail.from_address,
                               "subject": mail.subject}
        with transaction():
            return _process(mail, raw, envelope_from.strip().lower(), recipient.strip().lower(), now)
    except Exception as exc:  # noqa: BLE001 - whatever broke, the mail server must keep the mail and retry
        log.exception("incoming mail %s failed; answered 4xx so it is delivered again", key[:12])
        db.session.rollback()
        _record_failure(key, head, envelope_from, recipient, raw, exc, now)
        return Result(RETRY, "failed")


def _record_failure(key, head, envelope_from, recipient, raw, exc, now) -> None:
    try:
        with transaction():
            row = db.session.scalar(sa.select(InboundMail).where(InboundMail.message_key == key))
            if row is None:
                row = InboundMail(message_key=key, received_at=now, outcome="failed", attempts=0, size=len(raw),
                                  sha256=hashlib.sha256(raw).hexdigest(), envelope_from=envelope_from[:254],
                                  recipient=recipient[:254], detail={},
                                  **{k: (v or "")[:254] for k, v in head.items()})
                db.session.add(row)
            if row.outcome == "failed":
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    except Exception:  # noqa: BLE001 - the 4xx answer still keeps the mail at the mail server
        db.session.rollback()
        log.exception("could not record the failure of incoming mail %s", key[:12])


def _process(mail: mailparse.ParsedMail, raw: bytes, envelope_from: str, recipient: str, now: datetime) -> Result:
    cfg = current_app.config
    row = db.session.scalar(sa.select(InboundMail).where(InboundMail.message_key == mail.key))
    if row is not None and row.outcome != "failed":
        return Result(OK + " already registered", "duplicate", row.id, row.case_id)
    if row is None:
        row = InboundMail(message_key=mail.key, attempts=1, outcome="failed")  # until it is known
        db.session.add(row)
    else:  # a retry after a failure: this attempt takes the row over
        row.attempts += 1
    row.message_id, row.received_at, row.envelope_from, row.recipient = mail.message_id, now, envelope_from[:254], \
        recipient[:254]
    row.from_address, row.from_name, row.subject = mail.from_address, mail.from_name, mail.subject
    row.size, row.sha256, row.last_error, row.detail = len(raw), hashlib.sha256(raw).hexdigest(), None, {}
    case, had_token = _case_for(mail, recipient)
    too_big = len(raw) > cfg["MAIL_IN_MAX_BYTES"]
    row.storage_name = None if too_big else _store_original(raw)
    db.session.flush()

    if mail.is_report and mail.bounces:
        return _bounce(row, mail, case, now)
    automatic = mail.auto_reply or (None if envelope_from not in ("", "<>") else "null sender")
    if automatic:
        row.outcome, row.detail = "auto_reply", {"why": automatic}
        return _registered(row, case, now)
    if _over_rate_limit(mail.from_address, now, row.id):
        row.outcome = "rate_limited"
        return _registered(row, case, now)
    if too_big:
        row.outcome, row.detail = "refused", {"why": "too_large", "size": len(raw), "limit": cfg["MAIL_IN_MAX_BYTES"]}
        _registered(row, case, now)
        _polite(row, case, mail, "mail_too_large", now)
        return Result(OK, row.outcome, row.id, row.case_id)
    if case is not None:
        return _reply(row, mail, case, now)
    if had_token or recipient != cfg.get("MAIL_INBOUND_ADDRESS"):
        row.outcome, row.detail = "unknown", {"why": "no_such_case" if had_token else "unknown_recipient"}
        return Result(OK, row.outcome, row.id)
    return _new_case(row, mail, now)


def _store_original(raw: bytes) -> str:
    """The complete original as received, the registered incoming document (staff download it as .eml)."""
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(20) + ".eml"
    with open(path / name, "xb") as fh:
        fh.write(raw)
    os.chmod(path / name, 0o600)
    return name


def _registered(row: InboundMail, case: Case | None, now: datetime, **extra) -> Result:
    """The registration event on the mail's case, whatever came of the mail."""
    if case is not None:
        row.case_id = case.id
        record(case, "mail_received", now, actor_kind="company", inbound_mail_id=row.id, sender=row.from_address,
               subject=row.subject, outcome=row.outcome, **extra)
    return Result(OK, row.outcome, row.id, row.case_id)


def _over_rate_limit(sender: str, now: datetime, this_id: int) -> bool:
    limit = current_app.config["MAIL_IN_RATE_LIMIT"]
    seen = db.session.scalar(sa.select(sa.func.count()).select_from(InboundMail).where(
        InboundMail.from_address == sender, InboundMail.received_at > now - timedelta(hours=1),
        InboundMail.id != this_id, InboundMail.outcome.in_(("reply", "new_case", "follow_up", "refused"))))
    return seen >= limit


def _bounce(row: InboundMail, mail: mailparse.ParsedMail, case: Case | None, now: datetime) -> Result:
    """A delivery status notification: the case it came back to (its reply address, the envelope sender of our
    mail, or its thread id: both HMAC-proved) is marked when its contact is a failed recipient (shown on the case
    and in the queue), with an event. Anybody can write a DSN: one to the service's address, or naming another
    company's contact, marks nothing. A delayed delivery marks nothing. Nothing is answered."""
    failed = mailparse.failed_recipients(mail)
    row.outcome = "bounce"
    row.detail = {"failed": [b.recipient for b in failed], "status": [b.status for b in mail.bounces][:10]}
    addresses = {b.recipient: b for b in failed}
    cases = [case] if case is not None and case.contact_email in addresses else []
    for c in cases:
        b = addresses[c.contact_email]
        c.contact_failing_at = now
        c.contact_failure = f"{b.status} {b.diagnostic}".strip()[:300]
        record(c, "contact_bounced", now, actor_kind="system", address=c.contact_email, status=b.status,
               diagnostic=b.diagnostic, inbound_mail_id=row.id)
    return _registered(row, case, now)


def _files(mail: mailparse.ParsedMail) -> tuple[list[Upload], list[dict]]:
    """The mail's attachments that pass the same content checks as uploads, at most MAX_FILES; and the refused
    ones with why (the company is told, the officer sees it)."""
    accepted, refused = [], []
    for part in mail.attachments:
        try:
            check(part.data, current_app.config["ATTACHMENT_MAX_BYTES"])
        except RejectedFile as exc:
            refused.append({"filename": part.filename[:100], "why": exc.code})
            continue
        if len(accepted) >= MAX_FILES:
            refused.append({"filename": part.filename[:100], "why": "too_many_files"})
            continue
        accepted.append(Upload(part.filename, part.data))
    return accepted, refused


def _body(mail: mailparse.ParsedMail, cut: bool) -> str:
    body = mailparse.visible_reply(mail.text) if cut else mail.text
    if len(body) > public.MESSAGE_LIMIT:  # the whole text stays in the registered original
        body = body[:public.MESSAGE_LIMIT - 40].rstrip() + "\n[…]"
    return body or "(–)"


def _reply(row: InboundMail, mail: mailparse.ParsedMail, case: Case, now: datetime) -> Result:
    if not case.is_open:
        return _follow_up(row, mail, case, now)
    files, refused = _files(mail)
    row.outcome = "reply"
    row.sender_mismatch = bool(mail.from_address) and mail.from_address != (case.contact_email or "")
    row.detail = {"refused_files": refused} if refused else {}
    _registered(row, case, now, sender_mismatch=row.sender_mismatch)
    message = public.answer_case(
        case, _body(mail, cut=True), now, files, author_name=mail.from_name or mail.from_address,
        via={"channel": "email", "inbound_mail_id": row.id, "sender": mail.from_address,
             "sender_mismatch": row.sender_mismatch})
    row.case_message_id = message.id
    if refused:
        _polite(row, case, mail, "mail_files_refused", now)
    return Result(OK, row.outcome, row.id, case.id)


def _new_case(row: InboundMail, mail: mailparse.ParsedMail, now: datetime, *, related: Case | None = None) -> Result:
    """A mail to the service's address: a case through the one intake, kind and category from the words of the
    mail (routing rules' keywords, category names) with a default, the company unknown until an officer sets it."""
    sender = mail.from_address if _valid(mail.from_address) else (row.envelope_from if _valid(row.envelope_from)
                                                                   else "")
    if not sender:
        row.outcome, row.detail = "unknown", {"why": "no_sender"}
        return Result(OK, row.outcome, row.id)
    files, refused = _files(mail)
    kind, category = _classify(mail, related)
    sub = intake.Submission(
        kind=kind, category_id=category, org_number="", company_name="",
        contact_name=(mail.from_name or sender)[:intake.LIMITS["contact_name"]], contact_email=sender,
        subject=(mail.subject or "(inget ämne)")[:intake.LIMITS["subject"]],
        description=_body(mail, cut=related is not None)[:intake.LIMITS["description"]],
        complaint_ground="other" if kind == "complaint" else None, channel="email",
        language=related.language if related is not None else mailparse.guess_language(mail.subject, mail.text),
    )
    if related is not None and related.company_id:
        company = db.session.get(Company, related.company_id)
        sub.org_number, sub.company_name = company.org_number, related.company_name or company.name
    receipt = intake.submit_case(sub, now)
    case = db.session.get(Case, receipt.case_id)
    row.outcome = "follow_up" if related is not None else "new_case"
    row.detail = {"refused_files": refused} if refused else {}
    _registered(row, case, now)
    if files:  # the mail's files, registered on a company message of the new case
        public.answer_case(case, "(Bifogade filer / attached files)", now, files,
                           author_name=mail.from_name or sender,
                           via={"channel": "email", "inbound_mail_id": row.id, "sender": sender})
    if related is not None:
        db.session.add(CaseLink(case_id=case.id, other_case_id=related.id, kind="related", created_at=now))
        record(case, "linked", now, actor_kind="system", other_case_id=related.id, other_reference=related.reference,
               kind="related", why="reply_to_closed_case")
        record(related, "linked", now, actor_kind="system", other_case_id=case.id, other_reference=case.reference,
               kind="related", why="reply_to_closed_case")
    if refused:
        _polite(row, case, mail, "mail_files_refused", now)
    return Result(OK, row.outcome, row.id, case.id)


def _follow_up(row: InboundMail, mail: mailparse.ParsedMail, closed: Case, now: datetime) -> Result:
    """A reply to a closed case: registered on it, and a new case linked to it (see the module's docstring)."""
    record(closed, "mail_received", now, actor_kind="company", inbound_mail_id=row.id, sender=row.from_address,
           subject=row.subject, outcome="follow_up")
    return _new_case(row, mail, now, related=closed)


def _valid(address: str) -> bool:
    try:
        text.email_address(address or "")
    except text.TextError:
        return False
    return True


def _classify(mail: mailparse.ParsedMail, related: Case | None) -> tuple[str, int | None]:
    """(kind, category id) of a new case by mail. A follow-up keeps its closed case's; otherwise the routing
    rules' keywords name a category, then a category's name in the mail does; the kind from the words
    (mailparse.guess_kind), made one the category serves."""
    snap = snapshot.current()
    if related is not None:  # intake must not refuse it (a refusal would be retried forever): a category since
        # deactivated, or no longer serving the kind, gives way to the routing of a case without one
        category = snap.category(related.category_id) if related.category_id else None
        ok = category is not None and category.active and related.kind in category.kind_list
        return related.kind, related.category_id if ok else None
    words = f"{mail.subject}\n{mail.text}".casefold()
    category = None
    for rule in snap.rules:
        if rule.keywords and len(rule.category_ids) == 1 and \
                any(k.strip() and k.casefold().strip() in words for k in rule.keywords):
            category = snap.category(next(iter(rule.category_ids)))
            break
    if category is None:
        category = next((c for c in snap.categories if c.active and any(
            w in words for w in mailparse.category_words(c.name) + mailparse.category_words(c.name_en or c.name))),
            None)
    kind = mailparse.guess_kind(mail.subject, mail.text)
    if category is not None and kind not in category.kind_list:
        kind = category.kind_list[0] if category.kind_list else kind
    return kind, category.id if category is not None and category.active else None


def _polite(row: InboundMail, case: Case | None, mail: mailparse.ParsedMail, template: str, now: datetime) -> None:
    """A short answer saying what was not accepted and how to send it instead (never to an automatic mail)."""
    to = mail.from_address if _valid(mail.from_address) else None
    if case is not None:
        add_outbox("mail", {"template": template, "case_id": case.id, "extra": row.detail}, case=case, at=now)
    elif to:
        add_outbox("mail", {"template": template, "to": to, "lang": "sv", "extra": row.detail}, at=now)


# --- staff: the registered original -----------------------------------------------------------------------------

def original_for(user: User, case_id: int, inbound_id: int) -> tuple[InboundMail, Path]:
    """The complete original (.eml) of an incoming mail on a case, for staff who may see the case. A company,
    an anonymous visitor or staff of another office get NotFound/Forbidden from the one place that decides."""
    from ..models import AccessLog
    from .casework import get_case
    from .unit import commit

    case = get_case(user, case_id)  # staff who may see the case; another office's case is NotFound
    row = db.session.get(InboundMail, inbound_id)
    if row is None or row.case_id != case.id or not row.storage_name:
        raise NotFound("mail")
    path = Path(current_app.config["UPLOAD_DIR"]) / row.storage_name
    if not path.is_file():
        raise NotFound("mail")
    db.session.add(AccessLog(at=datetime.now(UTC), user_id=user.id, case_id=case.id, what=f"mail:{row.id}"))
    commit()
    return row, path


def mails_of(user: User, case: Case) -> list[InboundMail]:
    """The incoming mails registered on a case (the case page lists them with their originals)."""
    require_staff(user)
    if not may_see_case(user, case):
        raise NotFound("case")
    return list(db.session.scalars(sa.select(InboundMail).where(InboundMail.case_id == case.id)
                                   .order_by(InboundMail.received_at, InboundMail.id)))


def failures(limit: int = 100) -> list[InboundMail]:
    """Incoming mails whose processing failed and that wait for the mail server's next delivery (operations)."""
    return list(db.session.scalars(sa.select(InboundMail).where(InboundMail.outcome == "failed")
                                   .order_by(InboundMail.received_at.desc()).limit(limit)))
