"""The schema comes from migrations, and migrations agree with the models."""
import uuid

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from caseflow import create_app
from caseflow.extensions import db


def _fresh_database_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        return "sqlite:///" + str(tmp_path / "migrated.sqlite3"), None
    base = sa.make_url(database_url)
    name = f"caseflow_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), (admin, name)


def test_upgrade_builds_a_schema_that_matches_the_models(database_url, tmp_path):
    url, cleanup = _fresh_database_url(database_url, tmp_path)
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(ctx, db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            assert "case" in sa.inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
