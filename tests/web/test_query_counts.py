"""The busiest pages and the public submission cost a fixed number of SQL statements, whatever the amount of
data (no N+1)."""
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, Office
from caseflow.services import casework
from tests.conftest import VALID_FORM, login


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, params, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def org_number(i: int) -> str:
    """A valid organisation number (Luhn) per i, so every case has a company of its own."""
    digits = f"556{i:06d}"
    total = sum(sum(divmod(int(d) * (2 - k % 2), 10)) for k, d in enumerate(digits))
    return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def statements_for(client, path) -> int:
    db.session.expire_all()
    with counted() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_queue_page_costs_the_same_statements_for_3_and_30_cases(client, submit, make_user, category):
    first = submit()
    office = db.session.get(Office, db.session.get(Case, first.case_id).office_id)
    officer = make_user("officer", office=office)
    for _ in range(2):
        submit()
    login(client, officer)
    casework.assign(officer, first.case_id, officer.id, datetime.now(UTC))
    few = statements_for(client, "/staff/")
    for i in range(27):
        submit(company_name=f"Företag {i} AB", org_number=org_number(i))
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Case.company_id)))) == 28
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 30
    assert statements_for(client, "/staff/") == few


def test_case_page_costs_the_same_statements_for_short_and_long_histories(client, submit, make_user):
    short, long_ = submit(), submit()
    office = db.session.get(Office, db.session.get(Case, short.case_id).office_id)
    officer = make_user("officer", office=office)
    now = datetime.now(UTC)
    casework.reply(officer, short.case_id, "Ett svar.", now)
    for i in range(15):
        casework.reply(officer, long_.case_id, f"Svar {i}.", now)
        casework.add_note(officer, long_.case_id, f"Notering {i}.", now)
    login(client, officer)
    assert statements_for(client, f"/staff/cases/{short.case_id}") == \
        statements_for(client, f"/staff/cases/{long_.case_id}")


def posted_statements(client, data) -> list[str]:
    db.session.expire_all()
    with counted() as statements:
        assert client.post("/submit", data=data).status_code == 302
    return statements


def test_a_submission_costs_the_same_statements_with_1_and_31_cases_and_reads_no_configuration_table(
        client, category, submit, is_postgres):
    # As in production, the mails go to a job queue (here one that refuses: the rows wait for the retry job), so
    # what is counted is the request's own work, not an in-process delivery.
    client.application.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    data = dict(VALID_FORM, category_id=str(category("markupplatelse").id))
    posted_statements(client, data)  # the first one loads the configuration snapshot
    first = posted_statements(client, data)
    for i in range(29):
        submit(company_name=f"Företag {i} AB", org_number=org_number(i))
    assert len(posted_statements(client, data)) == len(first)
    config_tables = ("category", "office", "routing_rule", "sla_policy", "calendar_settings")
    reads = [s for s in first if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if any(f"FROM {t} " in s or f"FROM {t}\n" in s for t in config_tables)], reads
    assert any("config_generation" in s for s in reads)
    if is_postgres:  # the generation, the company, the case number; the case, its events, clocks, outbox rows
        assert len(first) == 7, [s[:40] for s in first]  # (SQLite inserts rows one by one where RETURNING is used)


def test_a_case_without_messages_or_links_skips_their_reads_and_a_linked_case_shows_its_links(
        client, submit, make_user):
    quiet, talked, other = submit(), submit(), submit()
    office = db.session.get(Office, db.session.get(Case, quiet.case_id).office_id)
    officer = make_user("officer", office=office)
    now = datetime.now(UTC)
    casework.reply(officer, talked.case_id, "Ett svar.", now)
    casework.link(officer, talked.case_id, other.reference, "related", now)
    login(client, officer)
    # messages, their files and the links: three reads the quiet case does not need
    assert statements_for(client, f"/staff/cases/{quiet.case_id}") + 3 == \
        statements_for(client, f"/staff/cases/{talked.case_id}")
    page = client.get(f"/staff/cases/{talked.case_id}").text
    assert "Ett svar." in page and f'href="/staff/cases/{other.case_id}">{other.reference}</a>' in page
    back = client.get(f"/staff/cases/{other.case_id}").text  # the other side: linked by the event on it
    assert f'href="/staff/cases/{talked.case_id}">{talked.reference}</a>' in back


def test_canned_responses_come_from_the_configuration_and_a_change_shows_at_once(client, submit, make_user):
    from caseflow.services import admin

    r = submit()
    office = db.session.get(Office, db.session.get(Case, r.case_id).office_id)
    officer, administrator = make_user("officer", office=office), make_user("admin")
    now = datetime.now(UTC)
    mine = admin.save(administrator, "canned", None,
                      {"office_id": office.id, "title": "Tack", "body": "Tack för <ditt> ärende.", "active": True}, now)
    admin.save(administrator, "canned", None, {"office_id": None, "title": "Alla", "body": "För alla.", "active": True},
               now)
    login(client, officer)
    page = client.get(f"/staff/cases/{r.case_id}").text
    assert 'value="Tack för &lt;ditt&gt; ärende."' in page and "För alla." in page
    with counted() as statements:
        client.get(f"/staff/cases/{r.case_id}")
    assert not [s for s in statements if "canned_response" in s]
    admin.save(administrator, "canned", mine.id, {"office_id": office.id, "title": "Tack", "body": "Nytt svar.",
                                                  "active": False}, now)
    page = client.get(f"/staff/cases/{r.case_id}").text
    assert "Tack för" not in page and "För alla." in page
