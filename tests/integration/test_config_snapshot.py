"""The configuration snapshot: requests read configuration from memory, and still see every change at once."""
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import Category, ConfigGeneration, Office
from caseflow.services import catalog, routing, snapshot


def generation():
    return db.session.scalar(sa.select(ConfigGeneration.value).where(ConfigGeneration.id == 1))


def test_a_change_made_by_another_process_is_seen_by_the_next_transaction(app, app_config, offices):
    assert "Markupplåtelse" in [c.name for c in catalog.categories()]
    db.session.commit()
    other = create_app(app_config)  # another process: its own app, session and snapshot
    with other.app_context():
        cat = db.session.scalar(sa.select(Category).where(Category.code == "markupplatelse"))
        cat.name = "Upplåtelse av offentlig plats"
        db.session.commit()
        db.session.remove()
    assert "Upplåtelse av offentlig plats" in [c.name for c in catalog.categories()]


def test_moving_the_entry_point_and_deactivating_an_office_apply_at_once(app, offices):
    entry = db.session.get(Office, routing.entry_office_id())
    entry.is_entry, offices["miljo"].is_entry = False, True
    db.session.commit()
    assert routing.entry_office_id() == offices["miljo"].id
    offices["naringsliv"].active = False
    db.session.commit()
    assert offices["naringsliv"].id not in [o.id for o in catalog.offices()]


def test_round_robin_bookkeeping_is_not_a_change_of_configuration(app, offices):
    before = generation()
    office = db.session.get(Office, routing.entry_office_id())
    office.round_robin_last_user_id = 42
    db.session.commit()
    assert generation() == before
    office.name = office.name + " (ny)"
    db.session.commit()
    assert generation() == before + 1


def test_the_snapshot_is_reused_until_the_generation_changes(app, offices):
    first = snapshot.current()
    db.session.commit()
    assert snapshot.current() is first
    db.session.add(Category(code="ny", name="Ny kategori", kinds="question", position=99))
    db.session.commit()
    again = snapshot.current()
    assert again is not first and again.generation == first.generation + 1
    assert "ny" in [c.code for c in again.categories]


def test_a_change_rolled_back_leaves_no_trace_in_the_snapshot(app, offices):
    """A transaction sees its own uncommitted change; after a rollback nobody does, and the next committed change
    (which takes the same generation number) is what everyone sees."""
    cat = db.session.scalar(sa.select(Category).where(Category.code == "markupplatelse"))
    cat.name = "Utkast som ångras"
    db.session.flush()
    assert "Utkast som ångras" in [c.name for c in catalog.categories()]
    db.session.rollback()  # nothing read in between: the next commit takes the draft's generation number
    cat = db.session.scalar(sa.select(Category).where(Category.code == "markupplatelse"))
    cat.name = "Det som sparades"
    db.session.commit()
    names = [c.name for c in catalog.categories()]
    assert "Det som sparades" in names and "Utkast som ångras" not in names
