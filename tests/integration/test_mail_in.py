"""Incoming mail end to end: realistic messages (tests/integration/mailcorpus.py) sent by a real LMTP client
(smtplib.LMTP) to the real receiver (caseflow.mailin, aiosmtpd) started here, with the mail the company answers
caught by a real SMTP server (aiosmtpd). On SQLite and PostgreSQL like every integration test."""
from __future__ import annotations

import email
import smtplib
import socket
import time
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from caseflow import mailin
from caseflow.domain import workflow
from caseflow.extensions import db
from caseflow.models import Attachment, Case, CaseEvent, CaseLink, InboundMail, Message, Outbox, SlaClock
from caseflow.services import casework, finding, inbound
from tests.conftest import login

from . import mailcorpus as corpus

REPLY_DOMAIN = "svar.foretag.example.se"
SERVICE = "foretag@foretag.example.se"
COMPANY = "anna@kanalkafeet.se"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        msg.envelope_from = envelope.mail_from
        self.messages.append(msg)
        return "250 OK"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAIL_REPLY_DOMAIN": REPLY_DOMAIN, "MAIL_INBOUND_ADDRESS": SERVICE,
            "MAIL_IN_MAX_BYTES": 200_000, "MAIL_IN_RATE_LIMIT": 5}


@pytest.fixture
def smtp(app):
    """The municipality's outgoing mail server: what the company receives."""
    box = Inbox()
    port = free_port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield box
    ctl.stop()


@pytest.fixture
def receiver(app, offices):
    """caseflow mail-in, listening on a free port, for the test's app and database."""
    ctl = mailin.controller(app, "127.0.0.1", free_port())
    ctl.start()
    yield ctl
    ctl.stop()


def deliver(receiver, msg, to, mail_from=COMPANY):
    """Hand a mail to the receiver as Postfix does: LMTP, one recipient. Returns the LMTP answer code."""
    raw = msg if isinstance(msg, bytes) else msg.as_bytes(policy=policy.SMTP)
    with smtplib.LMTP(receiver.hostname, receiver.port) as lmtp:
        try:
            lmtp.sendmail(mail_from, [to], raw)
        except smtplib.SMTPDataError as exc:
            return exc.smtp_code
        except smtplib.SMTPRecipientsRefused as exc:
            return exc.recipients[to][0]
    db.session.rollback()  # read what the receiver committed, not this session's cached rows
    db.session.expire_all()
    return 250


def wait_for(box, pred, timeout=5):
    end = time.time() + timeout
    while time.time() < end:
        found = [m for m in box.messages if pred(m)]
        if found:
            return found
        time.sleep(0.05)
    return []


def body_of(m):
    return m.get_body(("plain",)).get_content()


def events(case_id, kind):
    return list(db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                                   .order_by(CaseEvent.id)))


@pytest.fixture
def awaiting(submit, make_user, offices, smtp):
    """A case whose officer asked for a completion: the company has the request mail in front of it."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    receipt = submit()
    casework.assign(officer, receipt.case_id, officer.id, datetime.now(UTC))
    casework.request_completion(officer, receipt.case_id, "Skicka en ritning över uteserveringen.", datetime.now(UTC))
    [request] = wait_for(smtp, lambda m: m["To"] == COMPANY and "Skicka en ritning" in body_of(m))
    return receipt, officer, request


def test_answering_the_completion_request_from_outlook_puts_answer_and_file_on_the_case(awaiting, receiver, smtp):
    receipt, officer, request = awaiting
    reply_to = request["Reply-To"]
    # the request mail carries the case's reply address and its thread
    assert reply_to.startswith("svar+") and reply_to.endswith("@" + REPLY_DOMAIN)
    assert request["References"] == request["In-Reply-To"]
    assert request["References"].startswith(f"<case.{receipt.case_id}.")
    assert request.envelope_from == reply_to  # a bounce comes back to the case
    reply = corpus.outlook_sv_reply(
        "Anna Andersson <anna@kanalkafeet.se>", reply_to, str(request["Subject"]),
        "Hej!\n\nHär kommer ritningen över uteserveringen. Den är gjord av vår arkitekt.",
        "Skicka en ritning över uteserveringen.", in_reply_to=request["Message-ID"],
        files=[("Ritning uteservering.pdf", corpus.PDF, "application/pdf")])
    assert deliver(receiver, reply, reply_to) == 250

    case = db.session.get(Case, receipt.case_id)
    assert case.status == workflow.IN_PROGRESS  # as after an answer on the tracking page
    msg = db.session.scalars(sa.select(Message).where(Message.case_id == case.id, Message.author_kind == "company")
                             ).one()
    assert "Här kommer ritningen" in msg.body
    assert "Med vänliga hälsningar" not in msg.body and "Skickat:" not in msg.body  # signature and quote cut
    [att] = db.session.scalars(sa.select(Attachment).where(Attachment.message_id == msg.id)).all()
    assert att.filename == "Ritning uteservering.pdf" and att.content_type == "application/pdf"
    # the paused clocks run again
    paused = db.session.scalars(sa.select(SlaClock).where(SlaClock.case_id == case.id,
                                                          SlaClock.paused_since.is_not(None))).all()
    assert paused == []
    # registered on arrival: the mail as a case event with instant, sender and subject
    [reg] = events(case.id, "mail_received")
    assert reg.data["sender"] == COMPANY and reg.data["subject"].startswith("SV: ") and reg.data["outcome"] == "reply"
    [answered] = events(case.id, "company_message")
    assert answered.data["channel"] == "email" and answered.data["attachments"] == ["Ritning uteservering.pdf"]
    # the assignee is told, the queue shows the case back in progress
    assert wait_for(smtp, lambda m: m["To"] == officer.email and "Här kommer ritningen" in body_of(m))
    [row] = [r for r in finding.queue_rows(officer) if r.id == case.id]
    assert row.status == workflow.IN_PROGRESS and row.answered and row.new_file and row.changed  # marked, on top
    # the complete original is kept as the registered document
    mail = db.session.scalars(sa.select(InboundMail)).one()
    assert mail.case_id == case.id and mail.case_message_id == msg.id and mail.storage_name.endswith(".eml")


def test_gmail_reply_in_english_keeps_its_file_but_not_the_logo_and_cuts_the_quote(awaiting, receiver):
    receipt, _officer, request = awaiting
    reply = corpus.gmail_en_reply(COMPANY, request["Reply-To"], "Completion", "Please find the drawing attached.",
                                  "Send a drawing of the terrace.", inline_logo=True,
                                  files=[("drawing.png", corpus.PNG, "image/png")])
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    msg = db.session.scalars(sa.select(Message).where(Message.case_id == receipt.case_id,
                                                      Message.author_kind == "company")).one()
    assert msg.body.startswith("Please find the drawing attached.")
    assert "wrote:" not in msg.body and "Send a drawing" not in msg.body
    files = [a.filename for a in db.session.scalars(sa.select(Attachment).where(Attachment.message_id == msg.id))]
    assert files == ["drawing.png"]  # the signature's inline logo is no document of the case


def test_apple_mail_html_only_reply_becomes_safe_text(awaiting, receiver):
    receipt, _officer, request = awaiting
    reply = corpus.apple_sv_html_only(COMPANY, request["Reply-To"], "Komplettering",
                                      "Ritningen kommer <b>i morgon</b> &amp; fakturan på fredag.",
                                      "Skicka en ritning.")
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    msg = db.session.scalars(sa.select(Message).where(Message.case_id == receipt.case_id,
                                                      Message.author_kind == "company")).one()
    assert msg.body.startswith("Ritningen kommer i morgon & fakturan på fredag.")
    assert "<" not in msg.body and "alert" not in msg.body and "skrev" not in msg.body


def test_mail_to_the_service_address_becomes_a_case_with_a_receipt(receiver, smtp):
    mail = corpus.latin1_new_mail("Örjan Åström <orjan@strompark.se>", SERVICE, "Fråga om serveringstillstånd",
                                  "Hej! Vad kostar ett serveringstillstånd för vår restaurang? Mvh Örjan")
    assert deliver(receiver, mail, SERVICE, "orjan@strompark.se") == 250
    case = db.session.scalars(sa.select(Case)).one()
    assert case.channel == "email" and case.company_id is None and case.company_name == ""
    assert case.subject == "Fråga om serveringstillstånd" and "Vad kostar" in case.description
    assert case.contact_email == "orjan@strompark.se" and case.contact_name == "Örjan Åström"
    assert case.kind == "question" and case.category is not None and case.category.code == "servering"
    [receipt] = wait_for(smtp, lambda m: m["To"] == "orjan@strompark.se")
    assert case.reference in str(receipt["Subject"]) and "/track/" in receipt.get_body(("plain",)).get_content()
    assert receipt["Reply-To"] == inbound.reply_address(case)
    [reg] = events(case.id, "mail_received")
    assert reg.data["outcome"] == "new_case" and reg.data["sender"] == "orjan@strompark.se"


def test_a_mail_naming_nothing_known_goes_to_the_entry_office_as_a_question(receiver, offices):
    mail = corpus.gmail_en_reply("john@example-company.com", SERVICE, "Hello", "Who do I talk to about moving "
                                 "my company to Norrköping?", "")
    del mail["Subject"]
    mail["Subject"] = "Moving here"
    assert deliver(receiver, mail, SERVICE, "john@example-company.com") == 250
    case = db.session.scalars(sa.select(Case)).one()
    assert case.kind == "question" and case.category_id is None
    assert case.office_id == offices["naringsliv"].id and case.route_reason == "fallback"
    assert case.language == "en"  # the receipt is in the language the company wrote


def test_windows_1252_mail_labelled_latin1_with_raw_8bit_subject_reads_right(receiver):
    raw = corpus.cp1252_bytes_mail("lena@ljurastad.se", SERVICE, "Klagomål på “handläggningen”",
                                   "Vi är missnöjda – det tog “för lång tid”.")
    assert deliver(receiver, raw, SERVICE, "lena@ljurastad.se") == 250
    case = db.session.scalars(sa.select(Case)).one()
    assert case.subject == "Klagomål på “handläggningen”"
    assert case.description == "Vi är missnöjda – det tog “för lång tid”."
    assert case.kind == "complaint" and case.complaint_ground == "other"


@pytest.mark.parametrize("style", ["rfc3834", "exchange", "precedence"])
def test_an_out_of_office_reply_is_recorded_and_creates_nothing(awaiting, receiver, smtp, style):
    receipt, _officer, request = awaiting
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Outbox))
    assert deliver(receiver, corpus.auto_reply(COMPANY, request["Reply-To"], "Komplettering", style),
                   request["Reply-To"]) == 250
    assert deliver(receiver, corpus.auto_reply(COMPANY, SERVICE, "Hej", style), SERVICE) == 250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outbox)) == before  # no mail, no loop
    case = db.session.get(Case, receipt.case_id)
    assert case.status == workflow.AWAITING_CUSTOMER  # an out-of-office is no answer
    assert {m.outcome for m in db.session.scalars(sa.select(InboundMail))} == {"auto_reply"}
    [reg] = events(case.id, "mail_received")
    assert reg.data["outcome"] == "auto_reply"


def test_a_bounce_marks_the_contact_address_failing_on_case_and_queue(awaiting, receiver):
    receipt, officer, request = awaiting
    bounce = corpus.dsn_bounce(request.envelope_from, COMPANY, str(request["Message-ID"]))
    assert deliver(receiver, bounce, request.envelope_from, mail_from="") == 250
    case = db.session.get(Case, receipt.case_id)
    assert case.contact_failing_at is not None and "5.1.1" in case.contact_failure
    assert case.status == workflow.AWAITING_CUSTOMER
    [ev] = events(case.id, "contact_bounced")
    assert ev.data["address"] == COMPANY
    assert db.session.scalars(sa.select(InboundMail)).one().outcome == "bounce"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_the_same_message_delivered_twice_is_stored_once(awaiting, receiver):
    receipt, _officer, request = awaiting
    reply = corpus.gmail_en_reply(COMPANY, request["Reply-To"], "Completion", "Here it is.", "Send it.")
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboundMail)) == 1
    assert len(db.session.scalars(sa.select(Message).where(Message.author_kind == "company")).all()) == 1
    assert len(events(receipt.case_id, "mail_received")) == 1


def test_message_key_is_unique_in_the_database(app):
    from sqlalchemy.exc import IntegrityError

    for _ in range(2):
        db.session.add(InboundMail(message_key="k" * 64, outcome="reply", detail={}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_failure_midway_answers_4xx_keeps_nothing_half_and_the_retry_registers_once(receiver, monkeypatch, app,
                                                                                      make_user):
    from caseflow.services import intake

    real, calls = intake.submit_case, []

    def broken_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "submit_case", broken_once)
    mail = corpus.latin1_new_mail("karin@hemmabageriet.se", SERVICE, "Fråga", "Hur ansöker man om bygglov?")
    assert deliver(receiver, mail, SERVICE, "karin@hemmabageriet.se") == 451  # the mail server keeps it
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    failed = db.session.scalars(sa.select(InboundMail)).one()
    assert failed.outcome == "failed" and "database went away" in failed.last_error
    assert inbound.failures() == [failed]  # shown on the operations page
    admin = make_user("admin")
    client = app.test_client()
    login(client, admin)
    assert "database went away" in client.get("/admin/operations").get_data(as_text=True)
    assert deliver(receiver, mail, SERVICE, "karin@hemmabageriet.se") == 250  # the mail server's retry
    row = db.session.scalars(sa.select(InboundMail)).one()
    assert row.outcome == "new_case" and row.attempts == 2 and row.last_error is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_the_reply_token_decides_the_case_and_another_sender_is_shown(awaiting, receiver):
    receipt, _officer, request = awaiting
    reply = corpus.gmail_en_reply("bookkeeper@byra-ekonomi.se", request["Reply-To"], "Completion",
                                  "I answer for Anna: the drawing follows.", "Send it.")
    assert deliver(receiver, reply, request["Reply-To"], "bookkeeper@byra-ekonomi.se") == 250
    row = db.session.scalars(sa.select(InboundMail)).one()
    assert row.case_id == receipt.case_id and row.sender_mismatch is True
    [ev] = events(receipt.case_id, "company_message")
    assert ev.data["sender_mismatch"] is True and ev.data["sender"] == "bookkeeper@byra-ekonomi.se"


def test_a_reply_sent_to_the_service_address_finds_its_case_by_the_thread(awaiting, receiver):
    """A mail program that answered to another of our addresses still names our thread in References."""
    receipt, _officer, request = awaiting
    reply = corpus.gmail_en_reply(COMPANY, SERVICE, "Completion", "The drawing is on its way.", "Send it.")
    del reply["References"]
    reply["In-Reply-To"] = request["Message-ID"]
    reply["References"] = f"{request['References']} {request['Message-ID']}"
    assert deliver(receiver, reply, SERVICE) == 250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1  # no new case
    assert db.session.scalars(sa.select(InboundMail)).one().case_id == receipt.case_id
    assert db.session.get(Case, receipt.case_id).status == workflow.IN_PROGRESS


def test_a_guessed_reply_token_reaches_no_case(awaiting, receiver):
    receipt, _officer, request = awaiting
    guessed = f"svar+{receipt.case_id}-{'0' * 32}@{REPLY_DOMAIN}"
    reply = corpus.gmail_en_reply(COMPANY, guessed, "Completion", "Let me in.", "")
    # From says the case's contact: that decides nothing
    assert deliver(receiver, reply, guessed) == 250
    assert db.session.scalars(sa.select(InboundMail)).one().outcome == "unknown"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
        Message.author_kind == "company")) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_an_address_not_ours_is_refused_at_rcpt(receiver):
    mail = corpus.latin1_new_mail(COMPANY, "someone@elsewhere.se", "Hej", "Hej")
    assert deliver(receiver, mail, "someone@elsewhere.se") == 550


def test_a_reply_to_a_closed_case_starts_a_linked_case(awaiting, receiver, smtp):
    receipt, officer, request = awaiting
    casework.close(officer, receipt.case_id, "answered", datetime.now(UTC))
    reply = corpus.outlook_sv_reply(COMPANY, request["Reply-To"], "Komplettering",
                                    "Vi har en följdfråga om bygglovet.", "Skicka en ritning.")
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    closed = db.session.get(Case, receipt.case_id)
    assert closed.status == workflow.CLOSED  # not reopened behind the officer's back
    new = db.session.scalars(sa.select(Case).where(Case.id != closed.id)).one()
    assert new.channel == "email" and new.category_id == closed.category_id and new.company_id == closed.company_id
    assert "följdfråga" in new.description and "Skickat:" not in new.description
    assert db.session.scalars(sa.select(CaseLink).where(CaseLink.case_id == new.id)).one().other_case_id == closed.id
    assert events(closed.id, "mail_received")[0].data["outcome"] == "follow_up"
    assert wait_for(smtp, lambda m: new.reference in str(m["Subject"]))  # a receipt with the new number


def test_a_forwarded_chain_to_the_service_address_keeps_the_forwarded_text(receiver):
    assert deliver(receiver, corpus.forwarded_chain("maria@kanalkafeet.se", SERVICE), SERVICE,
                   "maria@kanalkafeet.se") == 250
    case = db.session.scalars(sa.select(Case)).one()
    assert "Markupplåtelse behövs" in case.description  # the substance of a forward is kept whole
    assert case.kind == "errand"


def test_a_refused_file_is_told_politely_and_the_text_still_lands(awaiting, receiver, smtp):
    receipt, _officer, request = awaiting
    reply = corpus.gmail_en_reply(COMPANY, request["Reply-To"], "Completion", "Drawing and the program.", "",
                                  files=[("drawing.pdf", corpus.PDF, "application/pdf"),
                                         ("setup.exe", corpus.EXE, "application/octet-stream")])
    assert deliver(receiver, reply, request["Reply-To"]) == 250
    msg = db.session.scalars(sa.select(Message).where(Message.author_kind == "company")).one()
    assert [a.filename for a in db.session.scalars(sa.select(Attachment).where(Attachment.message_id == msg.id))] \
        == ["drawing.pdf"]
    [told] = wait_for(smtp, lambda m: m["To"] == COMPANY and "setup.exe" in body_of(m))
    assert receipt.reference in str(told["Subject"])


def test_a_mail_over_the_size_limit_gets_a_polite_answer_and_no_case(receiver, smtp):
    mail = corpus.gmail_en_reply("big@fastighet-ab.se", SERVICE, "Big", "Many photos.", "",
                                 files=[("photo.pdf", corpus.PDF + b"0" * 250_000, "application/pdf")])
    assert deliver(receiver, mail, SERVICE, "big@fastighet-ab.se") == 250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    row = db.session.scalars(sa.select(InboundMail)).one()
    assert row.outcome == "refused" and row.detail["why"] == "too_large"
    assert wait_for(smtp, lambda m: m["To"] == "big@fastighet-ab.se")


def test_a_too_large_reply_is_registered_on_its_case_and_answered_with_the_case_link(awaiting, receiver, smtp):
    receipt, _officer, request = awaiting
    mail = corpus.gmail_en_reply(COMPANY, request["Reply-To"], "Completion", "All the photos.", "",
                                 files=[("photos.pdf", corpus.PDF + b"0" * 250_000, "application/pdf")])
    assert deliver(receiver, mail, request["Reply-To"]) == 250
    case = db.session.get(Case, receipt.case_id)
    assert case.status == workflow.AWAITING_CUSTOMER  # nothing of it landed as an answer
    assert events(case.id, "mail_received")[0].data["outcome"] == "refused"
    [told] = wait_for(smtp, lambda m: m["To"] == COMPANY and "MB" in body_of(m))
    assert f"/track/{receipt.token}" in body_of(told)


def test_a_sender_over_the_rate_limit_makes_no_more_cases(receiver):
    for i in range(7):
        mail = corpus.latin1_new_mail("flood@spam-ab.se", SERVICE, f"Fråga {i}", "Hej")
        assert deliver(receiver, mail, SERVICE, "flood@spam-ab.se") == 250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 5
    outcomes = [m.outcome for m in db.session.scalars(sa.select(InboundMail).order_by(InboundMail.id))]
    assert outcomes == ["new_case"] * 5 + ["rate_limited"] * 2


def test_the_rate_limit_forgets_after_an_hour(app, offices):
    now = datetime.now(UTC)
    for i in range(5):
        db.session.add(InboundMail(message_key=f"{i:064d}", outcome="new_case", from_address="a@b-ab.se",
                                   received_at=now - timedelta(minutes=61), detail={}))
    db.session.commit()
    assert inbound._over_rate_limit("a@b-ab.se", now, 0) is False


def test_caseflow_mail_in_runs_as_its_own_process_and_makes_a_case(app, offices, app_config, tmp_path):
    """The production command: `caseflow mail-in` in a process of its own, on the test's database, fed by LMTP."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    port = free_port()
    env = {**os.environ, "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret-key",
           "BASE_URL": "http://localhost", "CASEFLOW_ENV": "development", "MAIL_REPLY_DOMAIN": REPLY_DOMAIN,
           "MAIL_INBOUND_ADDRESS": SERVICE, "UPLOAD_DIR": str(tmp_path / "up"), "REDIS_URL": ""}
    caseflow = str(Path(sys.executable).with_name("caseflow"))
    proc = subprocess.Popen([caseflow, "mail-in", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        end = time.time() + 30
        while time.time() < end:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        mail = corpus.latin1_new_mail("ali@hassan-bygg.se", SERVICE, "Bygglov för carport", "Hur ansöker jag?")
        with smtplib.LMTP("127.0.0.1", port) as lmtp:
            assert lmtp.sendmail("ali@hassan-bygg.se", [SERVICE], mail.as_bytes(policy=policy.SMTP)) == {}
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    db.session.rollback()
    case = db.session.scalars(sa.select(Case)).one()
    assert case.channel == "email" and case.category.code == "bygglov" and case.kind == "errand"
    assert proc.returncode == 0, err.decode()[-2000:]


def test_lmtp_answers_once_per_recipient_after_data(awaiting, receiver):
    """RFC 2033: after DATA an LMTP server answers for each accepted recipient; one mail to two of our addresses
    is registered once (the second answer says so)."""
    receipt, _officer, request = awaiting
    raw = corpus.gmail_en_reply(COMPANY, request["Reply-To"], "Completion", "To both.", "").as_bytes(
        policy=policy.SMTP)
    with socket.create_connection((receiver.hostname, receiver.port), timeout=20) as sock:
        f = sock.makefile("rb")

        def say(line: bytes) -> bytes:
            sock.sendall(line + b"\r\n")
            reply = f.readline()
            while reply[3:4] == b"-":  # a multi-line answer
                reply = f.readline()
            return reply

        assert f.readline().startswith(b"220")
        assert say(b"LHLO mx.test").startswith(b"250")
        assert say(f"MAIL FROM:<{COMPANY}>".encode()).startswith(b"250")
        assert say(f"RCPT TO:<{request['Reply-To']}>".encode()).startswith(b"250")
        assert say(f"RCPT TO:<{SERVICE}>".encode()).startswith(b"250")
        assert say(b"DATA").startswith(b"354")
        sock.sendall(raw.replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n")
        answers = [f.readline(), f.readline()]
        say(b"QUIT")
    assert [a[:3] for a in answers] == [b"250", b"250"] and b"already registered" in answers[1]
    db.session.rollback()
    assert db.session.scalars(sa.select(InboundMail)).one().case_id == receipt.case_id
