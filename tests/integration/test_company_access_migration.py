"""The migration to company access by proof: links made under the old rule give nobody a grant; the case an
account filed while logged in stays its own. Runs the real migrations on SQLite and PostgreSQL."""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from caseflow import create_app
from caseflow.extensions import db
from tests.conftest import VALID_FORM

BEFORE, REVISION = "b16f1a0e0001", "b17acce50002"


def _count(sql: str, **params) -> int:
    return db.session.execute(sa.text(sql), params).scalar()


def test_old_links_become_no_grant_and_a_filed_case_stays_the_accounts(empty_database_url):
    from caseflow.models import CompanyAccount
    from caseflow.services import intake, seed

    url = empty_database_url
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "MAIL_SERVER": None,
                      "SECRET_KEY": "migration-test"})
    with app.app_context():
        upgrade()
        offices = seed.seed_configuration()  # noqa: F841 - categories and routing for the cases
        db.session.commit()
        account = CompanyAccount(email="mallory@evil.example", name="M", password_hash="x",
                                 verified_at=datetime.now(UTC))
        db.session.add(account)
        db.session.commit()
        now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

        def file(org, email, at, account_id=None):
            return intake.submit_case(intake.Submission(category_id=None, **dict(
                VALID_FORM, org_number=org, contact_email=email), account_id=account_id), at)

        own = file("556036-0793", "mallory@evil.example", now, account.id)  # filed while logged in
        victims = [file("556036-0793", "vd@kanalkafeet.se", now + timedelta(minutes=1)),
                   file("212000-0142", "mallory@evil.example", now + timedelta(minutes=2)),
                   file("212000-0142", "vd@regionbolaget.se", now + timedelta(minutes=3))]
        db.session.commit()
        account_id = account.id
        db.session.remove()

        downgrade(revision=BEFORE)
        # the links the old code made: one by filing (at the case's instant), one by a contact address
        assert _count("SELECT COUNT(*) FROM account_company WHERE how = 'filed_case'") == 1
        db.session.execute(sa.text(
            "INSERT INTO account_company (account_id, company_id, linked_at, how) "
            "SELECT :a, company_id, created_at, 'contact_email' FROM \"case\" WHERE id = :c"),
            {"a": account_id, "c": victims[1].case_id})
        db.session.commit()
        assert _count("SELECT COUNT(*) FROM account_company") == 2
        db.session.remove()

        upgrade(revision=REVISION)
        assert _count("SELECT COUNT(*) FROM company_grant") == 0
        assert db.session.execute(sa.text("SELECT account_id, case_id FROM account_case")).all() \
            == [(account_id, own.case_id)]
        assert "account_company" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
