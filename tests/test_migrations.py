"""The migrations build exactly the schema the models declare, on the engine under test."""

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db


def test_migrated_schema_matches_models(app):
    def on_this_engine(obj, name, type_, reflected, compare_to) -> bool:
        # An index declared for one database only (ddl_if), e.g. pg_trgm's on PostgreSQL.
        only = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return reflected or only is None or only == db.engine.dialect.name

    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": on_this_engine}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
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


def test_one_draft_upgrade_drops_only_empty_twin_drafts(
    app, city, make_establishment, make_inspection
):
    """Twin drafts from before the unique index: empty ones go, the one with answers stays."""
    from app.models import Inspection

    def draft_of(est, answers):
        return make_inspection(est, "five_goods", status="draft", via="services", answers=answers)

    def twin(draft_id):  # another draft like it, which the index would refuse
        # Copied in SQL, with the columns the table has below 0004: the model has newer ones.
        names = [c["name"] for c in inspect(db.engine).get_columns("inspection")]
        copied = ", ".join(f'"{n}"' for n in names if n not in ("id", "client_uuid"))
        db.session.execute(
            text(
                f"INSERT INTO inspection (client_uuid, {copied}) "
                f"SELECT :uuid, {copied} FROM inspection WHERE id = :id"
            ),
            {"uuid": str(uuid.uuid4()), "id": draft_id},
        )
        return db.session.scalar(text("SELECT max(id) FROM inspection"))

    keep = draft_of(make_establishment(), {"fg.env.01": {"result": "pass"}}).id
    empty = draft_of(make_establishment(), {}).id
    # Reading the ids began a transaction, which PostgreSQL's ALTER TABLE below would wait on.
    db.session.commit()
    # Only inspections are written below 0004: later migrations change other tables.
    downgrade(revision="0003_indicators")
    twins = [twin(keep), twin(keep), twin(empty), twin(empty)]
    db.session.commit()
    expected = [keep, twins[-1]]
    db.session.remove()
    upgrade()
    rows = db.session.scalars(db.select(Inspection.id).order_by(Inspection.id))
    assert list(rows) == expected, "the answered draft, and the newest of the empty twins"
