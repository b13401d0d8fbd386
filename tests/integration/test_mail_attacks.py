"""Attacks on incoming mail: what proves that a mail may change a case. A delivery status notification (bounce)
is written by whoever sends it; only the case its reply address or thread id proves may be marked by it."""
from __future__ import annotations

from caseflow.extensions import db
from caseflow.models import Case

from . import mailcorpus as corpus
from .test_mail_in import SERVICE, app_config, awaiting, deliver, events, receiver, smtp  # noqa: F401 - fixtures

VICTIM = "ekonomi@grannbolaget.se"


def test_forged_bounce_to_the_service_address_marks_no_company_contact_failing(  # noqa: F811
        submit, awaiting, receiver):  # noqa: F811
    victim = submit(contact_email=VICTIM)
    forged = corpus.dsn_bounce(SERVICE, VICTIM)
    assert deliver(receiver, forged, SERVICE, mail_from="") == 250
    case = db.session.get(Case, victim.case_id)
    assert case.contact_failing_at is None and case.contact_failure is None
    assert events(victim.case_id, "contact_bounced") == []


def test_bounce_to_one_cases_reply_address_cannot_mark_another_companys_case(  # noqa: F811
        submit, awaiting, receiver):  # noqa: F811
    receipt, _officer, request = awaiting
    victim = submit(contact_email=VICTIM)
    # the attacker holds its own case's reply address and names another company's contact as failed
    forged = corpus.dsn_bounce(request.envelope_from, VICTIM)
    assert deliver(receiver, forged, request.envelope_from, mail_from="") == 250
    assert db.session.get(Case, victim.case_id).contact_failing_at is None
    assert events(victim.case_id, "contact_bounced") == []
    assert db.session.get(Case, receipt.case_id).contact_failing_at is None  # its own contact did not fail


def test_reply_address_proof_never_reaches_the_log(awaiting, receiver, caplog):  # noqa: F811
    import logging

    caplog.set_level(logging.DEBUG)
    receipt, _officer, request = awaiting
    reply_to = str(request["Reply-To"])
    proof = reply_to.split("@")[0].rsplit("-", 1)[1]
    reply = corpus.gmail_en_reply("anna@kanalkafeet.se", reply_to, "Completion", "Here it is.", "Send it.")
    assert deliver(receiver, reply, reply_to) == 250
    assert events(receipt.case_id, "mail_received")
    assert proof not in caplog.text
