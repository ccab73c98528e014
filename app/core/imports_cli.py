"""`flask imports purge`: delete unconfirmed uploads older than a day (they hold personal data)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.imports import purge_expired
from app.extensions import db

imports = AppGroup("imports", help="Uploaded spreadsheets waiting for their confirm.")


@imports.command("purge")
def purge_command():
    """Delete unconfirmed uploads older than a day, files and rows (every upload does it too)."""
    count = purge_expired(current_app.instance_path)
    db.session.commit()
    click.echo(f"Deleted {count} unconfirmed upload(s).")
