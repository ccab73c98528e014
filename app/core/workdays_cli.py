"""`flask workdays ...`: the working-day calendar from the command line, same checks as the page."""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core import workdays, workdays_admin
from app.core.workdays_sql import sync_years
from app.extensions import db

workdays_group = AppGroup("workdays", help="The working-day calendar (holidays and 调休).")


@workdays_group.command("show")
@click.argument("year", type=int)
def show_command(year):
    """Print a year's holidays and make-up working days, in the import format."""
    if not workdays.load_year(year).configured:
        click.echo(
            f"{year}: not configured (counted by weekends only); import it with `flask workdays import`."
        )
    lines = workdays_admin.as_lines(year)
    if lines:
        click.echo(lines)


@workdays_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, required=True, help="The year the lines must all fall in.")
def import_command(path, year):
    """Enter a year from a file of lines "2027-10-01 休 国庆节" / "2027-10-09 班" (admin entries)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    entries, errors = workdays_admin.parse_lines(text, year)
    if errors:
        raise click.ClickException("nothing imported:\n" + "\n".join(errors))
    count = workdays_admin.import_entries(None, entries)
    db.session.commit()
    click.echo(f"{count} days of {year} entered.")


@workdays_group.command("sync")
@click.argument("first", type=int)
@click.argument("last", type=int, required=False)
def sync_command(first, last):
    """Copy the package's years into the database (the figures do it on first use)."""
    changed = sync_years(date(first, 1, 1), date(last or first, 1, 1))
    click.echo("calendar copied." if changed else "calendar already up to date.")
