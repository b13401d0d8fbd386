"""A mail that can never be sent becomes a dead letter after its first attempt (status failed, why, when), shown on
the operations page and not tried again by itself; a transient failure is tried again with growing pauses, a bounded
number of times. Against a real SMTP server started by the test (aiosmtpd), which refuses what it is told to."""
import email
import socket
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from caseflow import jobs
from caseflow.extensions import db
from caseflow.models import Case, Outbox
from caseflow.services import outbox
from tests.conftest import login

INJECTED = "a@example.se\r\nBcc: x@example.org"


class RefusingSink:
    """An SMTP server that takes every message except for the recipients it was told to answer otherwise."""

    def __init__(self):
        self.messages = []
        self.answers: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.answers:
            return self.answers[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def sink(app):
    handler = RefusingSink()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctl = Controller(handler, hostname="127.0.0.1", port=port)
    ctl.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    ctl.stop()


def row_of(template: str) -> Outbox:
    db.session.expire_all()
    return next(r for r in db.session.scalars(sa.select(Outbox).order_by(Outbox.id))
                if r.payload.get("template") == template)


def everyone_who_got_mail(sink) -> set[str]:
    return {addr for rcpts, _msg in sink.messages for addr in rcpts}


def test_a_mail_to_an_address_with_a_header_in_it_is_a_dead_letter_after_one_attempt_on_the_operations_page(
        client, sink, offices, make_user):
    now = datetime.now(UTC)
    row = Outbox(topic="mail", payload={"template": "your_links", "to": INJECTED, "lang": "sv"}, created_at=now)
    db.session.add(row)  # written as a row, as data from before the address check may be
    db.session.commit()
    assert jobs.deliver_outbox_rows([row.id]) == ["failed"]  # the job itself succeeds: nothing for RQ to retry
    row = db.session.get(Outbox, row.id)
    assert (row.status, row.attempts, row.failed_reason) == ("failed", 1, "invalid_address")
    assert row.failed_at is not None and row.retry_at is None and "Bcc" in row.last_error
    assert sink.messages == []  # nothing went out, least of all to the injected Bcc

    assert outbox.deliver(row.id) == "failed"  # never tried again by itself
    assert outbox.claim_undelivered(now + timedelta(days=2), timedelta(0)) == []
    assert db.session.get(Outbox, row.id).attempts == 1

    login(client, make_user("admin"))
    html = client.get("/admin/operations").get_data(as_text=True)
    dead = html[html.index('id="dead-letters"'):html.index("Ej levererade meddelanden")]
    assert "Obeställbara meddelanden" in html and "Mottagarens adress är inte en giltig e-postadress" in dead
    assert f"<td>{row.id}</td>" in dead and "Länkar till företagets ärenden" in dead  # the mail's name, not its code
    assert "\r\nBcc" not in html  # the address is shown as its repr, escaped, never as a header line


def test_a_receipt_to_an_old_case_whose_address_carries_a_header_is_dead_lettered(sink, submit):
    r = submit()
    db.session.execute(sa.update(Case).where(Case.id == r.case_id).values(contact_email=INJECTED))
    db.session.execute(sa.update(Outbox).values(status="pending", sent_at=None, attempts=0))  # as if not yet sent
    db.session.commit()
    receipt = row_of("receipt")
    assert outbox.deliver(receipt.id) == "failed"
    receipt = row_of("receipt")
    assert (receipt.attempts, receipt.failed_reason) == (1, "invalid_address")
    assert "x@example.org" not in everyone_who_got_mail(sink)


@pytest.mark.parametrize("answer", ["550 5.1.1 <nobody@kanalkafeet.se>: Recipient address rejected",
                                    "553 5.1.3 Mailbox name not allowed"])
def test_a_5xx_refusal_of_the_recipient_dead_letters_the_mail_after_one_attempt(sink, submit, answer):
    sink.answers["nobody@kanalkafeet.se"] = answer
    submit(contact_email="nobody@kanalkafeet.se")  # delivered in-process right after the commit
    receipt = row_of("receipt")
    assert (receipt.status, receipt.attempts, receipt.failed_reason) == ("failed", 1, "address_refused")
    assert answer[:3] in receipt.last_error and receipt.failed_at is not None
    assert row_of("new_case").status == "sent"  # the office's notice of the same case went
    assert outbox.claim_undelivered(datetime.now(UTC) + timedelta(days=2), timedelta(0)) == []


def test_a_451_is_tried_again_with_growing_pauses_and_goes_once_the_server_takes_it(sink, submit):
    sink.answers["anna@kanalkafeet.se"] = "451 4.7.1 Greylisted, try again later"
    submit()
    receipt = row_of("receipt")
    assert (receipt.status, receipt.attempts, receipt.failed_reason) == ("pending", 1, None)
    assert "451" in receipt.last_error and receipt.retry_at > receipt.created_at
    first_pause_over = receipt.retry_at
    assert outbox.claim_undelivered(first_pause_over - timedelta(seconds=1), timedelta(0)) == []  # still pausing
    assert outbox.claim_undelivered(first_pause_over, timedelta(0)) == [receipt.id]

    del sink.answers["anna@kanalkafeet.se"]  # greylisting over
    assert jobs.deliver_outbox_rows([receipt.id]) == ["sent"]
    assert "anna@kanalkafeet.se" in everyone_who_got_mail(sink)
    assert row_of("receipt").attempts == 2


def test_a_server_that_keeps_answering_451_makes_a_dead_letter_after_the_last_bounded_attempt(sink, submit):
    sink.answers["anna@kanalkafeet.se"] = "451 4.3.0 Temporary failure"
    submit()
    receipt = row_of("receipt")
    assert timedelta(minutes=1) <= receipt.retry_at - receipt.created_at < timedelta(minutes=1, seconds=5)
    next_tries = []
    while receipt.status == "pending":
        assert receipt.attempts < outbox.MAX_ATTEMPTS
        next_tries.append(receipt.retry_at)
        assert outbox.claim_undelivered(receipt.retry_at, timedelta(0)) == [receipt.id]  # the periodic retry
        outbox.deliver(receipt.id, receipt.retry_at)  # ... whose job runs at once
        receipt = row_of("receipt")
    assert (receipt.status, receipt.attempts, receipt.failed_reason) == (
        "failed", outbox.MAX_ATTEMPTS, "attempts_exhausted")
    assert "451" in receipt.last_error and receipt.retry_at is None
    pauses = [(next_tries[i + 1] - next_tries[i]).total_seconds() / 60 for i in range(len(next_tries) - 1)]
    assert pauses == [2, 4, 8, 16, 32, 60]  # after the first minute: doubling, at most an hour


def test_an_administrator_puts_a_dead_letter_back_in_line_once_its_cause_is_mended(client, sink, submit, make_user):
    sink.answers["nobody@kanalkafeet.se"] = "550 5.1.1 User unknown"
    submit(contact_email="nobody@kanalkafeet.se")
    receipt = row_of("receipt")
    assert receipt.status == "failed"
    del sink.answers["nobody@kanalkafeet.se"]  # the mailbox exists now
    login(client, make_user("admin"))
    client.post(f"/admin/operations/outbox/{receipt.id}/retry")
    receipt = row_of("receipt")
    assert (receipt.status, receipt.failed_reason, receipt.failed_at) == ("sent", None, None)
    assert "nobody@kanalkafeet.se" in everyone_who_got_mail(sink)
