"""Delivering outbox rows. Idempotent: a row that was sent is never sent again.

A failure either is permanent (an address no mail can go to, an SMTP 5xx refusal): the row becomes a dead letter
at once (status ``failed``, ``failed_reason``, ``failed_at``), shown on the operations page and never tried again
by itself; or transient (the mail server down, a 4xx answer): tried again after a growing pause
(``retry_at``), and dead-lettered after MAX_ATTEMPTS. An administrator may put a dead letter back in line."""
from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Case, Message, Outbox, User
from ..models.outbox import FAILED, PENDING, SENT
from . import decisions, mail, promises, snapshot, tracking
from .authorization import office_leads
from .unit import transaction

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8  # with RETRY_FIRST doubling up to RETRY_MOST: tried for about two hours
RETRY_FIRST, RETRY_MOST = timedelta(minutes=1), timedelta(hours=1)
DEAD_REASONS = ("invalid_address", "address_refused", "message_refused", "malformed_message", "attempts_exhausted")


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most an hour."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MOST)


def deliver(outbox_id: int, now: datetime | None = None) -> str:
    """Deliver one outbox row; returns its status afterwards. Safe to call twice or concurrently:
    the row is locked (PostgreSQL) and re-checked, so it is delivered once."""
    now = now or datetime.now(UTC)
    with transaction():
        row = db.session.scalar(sa.select(Outbox).where(Outbox.id == outbox_id).with_for_update())
        if row is None:
            return "missing"
        if row.status != PENDING:
            return row.status
        row.attempts += 1
        try:
            handler = _HANDLERS[row.topic]
            row.result = handler(row, now)
            row.status, row.sent_at, row.last_error, row.retry_at = SENT, now, None, None
        except mail.PermanentFailure as exc:
            log.warning("outbox %s can never be delivered (%s): dead letter", row.id, exc.reason)
            _dead_letter(row, exc.reason, str(exc), now)
        except Exception as exc:  # a transient failure is recorded and tried again later, never lost
            log.warning("outbox %s delivery failed (attempt %s): %s", row.id, row.attempts, type(exc).__name__)
            if row.attempts >= MAX_ATTEMPTS:
                _dead_letter(row, "attempts_exhausted", f"{type(exc).__name__}: {exc}", now)
            else:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.retry_at = now + retry_delay(row.attempts)
        return row.status


def _dead_letter(row: Outbox, reason: str, detail: str, now: datetime) -> None:
    row.status, row.failed_reason, row.failed_at = FAILED, reason, now
    row.last_error, row.retry_at = detail[:2000], None


def _recipients(case: Case, audience: str) -> tuple[list[str], str]:
    """Addresses and language for an audience: the company (in the case's language) or staff (Swedish)."""
    if audience == "contact":
        return [case.contact_email], case.language
    office = snapshot.current().office(case.office_id)
    if audience == "assignee":
        assignee = db.session.get(User, case.assignee_id) if case.assignee_id else None
        return [assignee.email if assignee else office.email], "sv"
    if audience == "leads":
        leads = db.session.scalars(sa.select(User.email).where(
            User.office_id == case.office_id, office_leads(), User.active.is_(True))).all()
        return (list(leads) or [office.email]), "sv"
    raise ValueError(f"unknown audience {audience!r}")


def _deliver_mail(row: Outbox, now: datetime) -> dict:
    p = row.payload
    if not p.get("case_id"):
        return _deliver_account_mail(row)
    case = db.session.get(Case, p["case_id"])
    audience = p.get("audience", "contact")
    to, lang = _recipients(case, audience)
    to = [addr for addr in to if addr]
    if not to:
        return {"via": "skipped", "reason": "no recipient"}
    mail.check_recipients(to)
    rendered = _render_case_mail(row, case, to, lang, audience, now)
    _thread(rendered, case, audience)
    how = mail.send(rendered)
    # Keep what was sent as the record. A mail sent through SMTP need not keep the private link in the
    # database; a logged one is the only copy the operator has (embedded mode), so it is kept whole.
    text = rendered.text if how == "logged" else rendered.text.replace(_token_of(case), "…")
    return {"via": how, "to": rendered.to, "subject": rendered.subject, "text": text}


def preview_case_mail(row: Outbox, now: datetime) -> dict | None:
    """What a staged (not yet committed) mail to a company would say: to, subject and text, its private links cut
    short (a preview is read by staff; the company's links are the company's). None for a mail to staff."""
    p = row.payload
    if not p.get("case_id") or p.get("audience", "contact") != "contact":
        return None
    case = db.session.get(Case, p["case_id"])
    rendered = _render_case_mail(row, case, [case.contact_email], case.language, "contact", now)
    text = re.sub(r"(https?://\S+?/(?:track|survey)/)\S+", r"\1…", rendered.text)
    return {"to": rendered.to, "subject": rendered.subject, "text": text}


def _render_case_mail(row: Outbox, case: Case, to: list[str], lang: str, audience: str,
                      now: datetime) -> mail.RenderedMail:
    p = row.payload
    message = db.session.get(Message, p["message_id"]) if p.get("message_id") else None
    return mail.render(
        p["template"], to=", ".join(to), lang=lang, message_id=mail.message_id_for(row.id),
        case=case, message=message, tracking_url=tracking.tracking_url(case.tracking_salt),
        staff_url=f"{current_app.config['BASE_URL']}/staff/cases/{case.id}", clock=p.get("clock"),
        survey_url=_survey_url(p.get("survey_id")), extra=p.get("extra") or {},
        outlook=promises.for_mail(case, p["template"], now) if audience == "contact" else None,
        decision=decisions.latest(case) if p["template"] == "decision" else None,
    )


def _thread(rendered: mail.RenderedMail, case: Case, audience: str) -> None:
    """A mail to the company names the case's thread and, with a reply domain configured, its reply address
    (also the envelope sender, so a bounce finds its case): the answer comes back into the case."""
    from . import inbound

    if audience != "contact":
        return
    rendered.headers["In-Reply-To"] = rendered.headers["References"] = inbound.thread_id(case)
    reply_to = inbound.reply_address(case)
    if reply_to:
        rendered.headers["Reply-To"] = reply_to
        rendered.envelope_from = reply_to


def _survey_url(survey_id: int | None) -> str | None:
    from ..models import Survey
    from . import surveys

    survey = db.session.get(Survey, survey_id) if survey_id else None
    return surveys.survey_url(survey) if survey is not None and survey.answered_at is None else None


_ACCOUNT_LINKS = {"verify_account": "verify", "reset_password": "reset", "company_invitation": "invitation"}


def _deliver_account_mail(row: Outbox) -> dict:
    """Mails to an address rather than about one case: account verification, password reset, "your links",
    an invitation to a company's cases."""
    p = row.payload
    base = current_app.config["BASE_URL"]
    mail.check_recipients([p["to"]])
    links, report = [], None
    if p["template"] == "monthly_report":
        from ..models import MonthlyReport

        report = db.session.get(MonthlyReport, p["report_id"])
    if p["template"] == "your_links":
        cases = db.session.scalars(sa.select(Case).where(Case.contact_email == p["to"])
                                   .order_by(Case.created_at.desc()).limit(50))
        links = [(c, tracking.tracking_url(c.tracking_salt)) for c in cases]
    invitation = None
    if p["template"] == "company_invitation":
        from ..models import CompanyInvitation

        invitation = db.session.get(CompanyInvitation, p["invitation_id"])
    path = _ACCOUNT_LINKS.get(p["template"], "reset")
    rendered = mail.render(p["template"], to=p["to"], lang=p.get("lang", "sv"), message_id=mail.message_id_for(row.id),
                           link=f"{base}/account/{path}/{p.get('token', '')}", login_url=f"{base}/account/login",
                           links=links, report=report, invitation=invitation, extra=p.get("extra") or {},
                           report_url=f"{base}/reports/?month={report.month}" if report else None)
    how = mail.send(rendered)
    if how == "logged":  # embedded mode: the outbox is the only mailbox, so it keeps the mail whole
        return {"via": how, "to": rendered.to, "subject": rendered.subject, "text": rendered.text}
    # sent: a verification or reset token must not stay readable in the database
    row.payload = {k: v for k, v in p.items() if k != "token"}
    return {"via": how, "to": rendered.to, "subject": rendered.subject,
            "text": "(sent; not kept: it carried private links)"}


def _token_of(case: Case) -> str:
    return tracking.token_for(case.tracking_salt)


_HANDLERS = {"mail": _deliver_mail}


def claim_undelivered(now: datetime, older_than: timedelta, limit: int = 1000) -> list[int]:
    """Pending rows whose last hand-over to the job runner is older than ``older_than`` (so that job was lost:
    Redis restarted empty, a worker died, the process crashed before dispatching) and whose pause after a
    failed try (``retry_at``) is over. Marks them handed over now, so a long queue is not flooded with the same
    rows again on every retry run; delivery stays idempotent either way."""
    cutoff = now - older_than
    handed_over = sa.func.coalesce(Outbox.enqueued_at, Outbox.created_at)
    with transaction():
        ids = list(db.session.scalars(
            sa.select(Outbox.id).where(Outbox.status == PENDING, Outbox.created_at <= cutoff, handed_over <= cutoff,
                                       sa.or_(Outbox.retry_at.is_(None), Outbox.retry_at <= now))
            .order_by(Outbox.id).limit(limit)
        ))
        if ids:
            db.session.execute(sa.update(Outbox).where(Outbox.id.in_(ids)).values(enqueued_at=now))
    return ids
