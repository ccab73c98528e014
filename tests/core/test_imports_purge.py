"""`flask imports purge` deletes unconfirmed uploads older than a day, and only those."""

from datetime import timedelta

from app.core import imports
from app.extensions import db
from app.models import ImportBatch
from app.models.types import utcnow


def test_purge_deletes_only_old_unconfirmed_uploads(app, runner, city):
    old = imports.stage(app.instance_path, "establishments", "old.csv", b"a,b\n", city.admin)
    new = imports.stage(app.instance_path, "establishments", "new.csv", b"a,b\n", city.admin)
    old.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    result = runner.invoke(args=["imports", "purge"])
    assert "Deleted 1 unconfirmed upload(s)." in result.output
    tokens = set(db.session.scalars(db.select(ImportBatch.token)))
    assert tokens == {new.token}
    assert not (imports.folder(app.instance_path) / old.token).exists()
