"""`flask uploads purge`: delete abandoned resumable uploads (every new upload does it too)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.photos.uploads import purge_expired

uploads = AppGroup("uploads", help="Resumable photo uploads.")


@uploads.command("purge")
def purge_command():
    """Delete unfinished uploads idle over FANGXIN_UPLOAD_KEEP_HOURS and any over 30 days."""
    count = purge_expired(current_app.config)
    db.session.commit()
    click.echo(f"Deleted {count} abandoned upload(s).")
