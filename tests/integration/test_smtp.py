"""Notifications through a real SMTP server started by the test (aiosmtpd), checked as they arrive."""
import email
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller

from caseflow import create_app
from caseflow.extensions import db
from caseflow.services import casework


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield inbox
    ctl.stop()


def wait_for(inbox, n, timeout=5):
    end = time.time() + timeout
    while len(inbox.messages) < n and time.time() < end:
        time.sleep(0.05)
    return inbox.messages


def parts(msg):
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_receipt_arrives_in_the_cases_language_with_number_and_link(smtp, submit, make_user, offices):
    make_user("officer", offices["samhallsbyggnad"])
    r = submit(language="en")
    msgs = wait_for(smtp, 2)
    receipt = next(m for m in msgs if m["To"] == "anna@kanalkafeet.se")
    assert receipt["Subject"] == f"We have received your case {r.reference}"
    text, html = parts(receipt)
    assert r.reference in text and f"/track/{r.token}" in text and f"/track/{r.token}" in html
    staff = next(m for m in msgs if m["To"] != "anna@kanalkafeet.se")
    assert staff["To"] == "samhallsbyggnad@norrkoping.invalid" and r.reference in staff["Subject"]


def test_completion_request_decision_and_closure_mails_arrive_in_swedish(smtp, submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    casework.request_completion(officer, r.case_id, "Skicka en ritning.", now)
    casework.decide(officer, r.case_id, "granted", "Beviljas.", now)
    casework.close(officer, r.case_id, "granted", now)
    msgs = wait_for(smtp, 5)
    subjects = [m["Subject"] for m in msgs if m["To"] == "anna@kanalkafeet.se"]
    assert f"Vi behöver mer information i ditt ärende {r.reference}" in subjects
    assert f"Beslut i ditt ärende {r.reference}" in subjects
    assert f"Ditt ärende {r.reference} är avslutat" in subjects
    decision = next(m for m in msgs if m["Subject"].startswith("Beslut"))
    assert "Beviljas." in parts(decision)[0]


def test_html_in_user_text_is_escaped_in_the_html_part(smtp, submit):
    submit(contact_name="<script>alert(1)</script>")
    msg = next(m for m in wait_for(smtp, 1) if m["To"] == "anna@kanalkafeet.se")
    _text, html = parts(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_smtp_down_leaves_the_mail_pending_for_retry(app_config, offices, submit):
    from caseflow.models import Outbox

    down = create_app(dict(app_config, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port()))
    with down.app_context():
        submit()
        rows = db.session.query(Outbox).all()
        assert rows and all(r.status == "pending" and r.attempts == 1 and r.last_error for r in rows)
        db.session.remove()


def test_a_reset_token_sent_by_smtp_is_not_kept_in_the_database(smtp, offices):
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from caseflow.models import CompanyAccount, Outbox
    from caseflow.services import accounts

    account = CompanyAccount(email="anna@kanalkafeet.se", name="Anna", verified_at=datetime.now(UTC))
    account.set_password("ett långt lösenord")
    db.session.add(account)
    db.session.commit()
    accounts.request_password_reset("anna@kanalkafeet.se", "sv", datetime.now(UTC))
    [msg] = wait_for(smtp, 1)
    link = [line for line in parts(msg)[0].splitlines() if "/account/reset/" in line][0]
    token = link.rsplit("/", 1)[1]
    row = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "reset_password"))
    assert row.status == "sent" and "token" not in row.payload
    assert token not in str(row.payload) and token not in str(row.result)
