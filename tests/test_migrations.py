"""The migrations build exactly the schema the models declare, on the engine under test."""

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_table_is_created(app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_downgrade_to_empty_and_back(app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_one_draft_upgrade_drops_only_empty_twin_drafts(app, city, make_establishment):
    """Twin drafts from before the unique index: empty ones go, the one with answers stays."""
    from app.inspections.drafts import start_or_resume_draft
    from app.models import Answer, Inspection

    answered, untouched = make_establishment(), make_establishment()
    keep = start_or_resume_draft(city.inspector, answered, "five_goods")
    db.session.add(Answer(inspection=keep, item_id="fg.env.01", result="pass"))
    empty = start_or_resume_draft(city.inspector, untouched, "five_goods")
    db.session.commit()
    # Only inspections are written below 0004: later migrations change other tables.
    downgrade(revision="0003_indicators")
    twins = [_twin(keep), _twin(keep), _twin(empty), _twin(empty)]
    db.session.add_all(twins)
    db.session.commit()
    expected = [keep.id, twins[-1].id]
    db.session.remove()
    upgrade()
    rows = db.session.scalars(db.select(Inspection.id).order_by(Inspection.id))
    assert list(rows) == expected, "the answered draft, and the newest of the empty twins"


def _twin(draft):
    from app.models import Inspection

    columns = ("establishment_id", "checklist_version_id", "programme", "inspector_id")
    return Inspection(client_uuid=str(uuid.uuid4()), fields={}, **_values(draft, columns))


def _values(row, columns) -> dict:
    return {name: getattr(row, name) for name in columns}
