"""The schema comes from migrations, and migrations agree with the models."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from caseflow import create_app
from caseflow.extensions import db


def test_upgrade_builds_a_schema_that_matches_the_models(empty_database_url):
    url = empty_database_url
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert "case" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
