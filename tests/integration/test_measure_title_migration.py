"""The migration that gives Handslaget measures an English title: the measures seeded with the default Swedish
titles get their English ones; a title an administrator changed gets none (the English page then shows the
Swedish one). Runs the real migrations on SQLite and PostgreSQL."""
import sqlalchemy as sa
from flask_migrate import upgrade

from caseflow import create_app
from caseflow.extensions import db

BEFORE = "b19marks0002"


def test_seeded_measures_get_their_english_titles_and_a_changed_title_gets_none(empty_database_url):
    url = empty_database_url
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "MAIL_SERVER": None,
                      "SECRET_KEY": "migration-test"})
    with app.app_context():
        upgrade(revision=BEFORE)
        insert = sa.text("INSERT INTO handslaget_measure (handslag, code, title, kpi, target, higher_is_better,"
                         " at_risk_margin, active) VALUES (1, :code, :title, 'nki', 1, true, 0.1, true)")
        db.session.execute(insert, {"code": "1.1",
                                    "title": "Servicegaranti: andel svar och beslut inom utlovad tid"})
        db.session.execute(insert, {"code": "1.4", "title": "Nöjda företag"})
        db.session.commit()
        db.session.remove()
        upgrade()
        rows = dict(db.session.execute(sa.text("SELECT code, title_en FROM handslaget_measure")).all())
        assert rows == {"1.1": "Service guarantee: share of answers and decisions within the promised time",
                        "1.4": ""}
        db.session.remove()
        db.engine.dispose()
