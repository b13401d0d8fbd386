"""Fixtures: a fresh app per test on a real database, emptied after each test.

The database is SQLite (a file in a temp dir) by default, or PostgreSQL when ``TEST_DATABASE_URL`` points at a
server: the suite then creates its own throw-away database there. ``TEST_REDIS_URL`` (or a Redis on
127.0.0.1:6379) enables the RQ integration tests.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import User
from caseflow.services import intake, seed

PASSWORD = "correct horse battery"


def _pg_admin_url(url: str) -> sa.URL:
    u = sa.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://")
                    else url)
    return u


@contextmanager
def _new_database(tmp_dir, name: str):
    """A new, empty database of the kind TEST_DATABASE_URL names (else a SQLite file in ``tmp_dir``): its URL,
    dropped again afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield "sqlite:///" + str(tmp_dir / f"{name}.sqlite3")
        return
    base = _pg_admin_url(url)
    name = f"caseflow_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with _new_database(tmp_path_factory.mktemp("db"), "test") as url:
        yield url


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own with no schema, for a test that runs the migrations itself."""
    with _new_database(tmp_path, "mig") as url:
        yield url


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return database_url


@pytest.fixture
def is_postgres(database_url) -> bool:
    return "postgresql" in database_url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for t in tables:
            db.session.execute(t.delete())
    db.session.commit()


@pytest.fixture
def app_config(_schema, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": _schema,
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost",
        "MAIL_SERVER": None,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }


def _isolated_requests(app):
    """Tests keep one app context pushed (to use db.session), and Flask then reuses it for every request, so
    ``g`` (where Flask-Login caches the user) would leak between test clients. Start each request clean."""
    from flask import g

    def _fresh_g():
        for name in list(vars(g)):
            delattr(g, name)

    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)  # before the app's own hooks

    @app.teardown_request
    def _rollback_after_failure(exc):
        # In production each request has its own session (removed with its app context); here the test's
        # context outlives requests, so a failed request must not leave its transaction to the next one.
        if exc is not None:
            db.session.rollback()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    _isolated_requests(app)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def offices(app):
    """The demo offices, categories and routing rules of docs/domain.md."""
    return seed.seed_configuration()


@pytest.fixture
def make_user(app):
    def make(role="officer", office=None, email=None, name=None):
        u = User(email=email or f"{uuid.uuid4().hex[:8]}@staff.test", name=name or f"{role.title()} Test",
                 role=role, office=office)
        u.set_password(PASSWORD)
        db.session.add(u)
        db.session.commit()
        return u

    return make


@pytest.fixture
def category(app, offices):
    from caseflow.models import Category

    def get(code):
        return db.session.scalar(sa.select(Category).where(Category.code == code))

    return get


VALID_FORM = {
    "kind": "errand",
    "org_number": "556036-0793",
    "company_name": "Kanalkaféet AB",
    "contact_name": "Anna Andersson",
    "contact_email": "anna@kanalkafeet.se",
    "contact_phone": "070-1234567",
    "subject": "Uteservering i sommar",
    "description": "Vi vill ha uteservering på torget från maj.",
}


@pytest.fixture
def submit(app, category):
    """Create a case through the intake service (as the public form does); returns the Receipt."""

    def make(category_code="markupplatelse", when=None, **overrides):
        data = {k: v for k, v in VALID_FORM.items()}
        data.update(overrides)
        sub = intake.Submission(category_id=category(category_code).id, **data)
        return intake.submit_case(sub, when or datetime.now(UTC))

    return make


def login(client, user, password=PASSWORD):
    return client.post("/staff/login", data={"email": user.email, "password": password})
