"""`flask users import FILE` (the bulk import, same checks as the page), `unlock` and `sign-out`."""

from pathlib import Path

import click

from app.core.accounts import sign_out_everywhere, unlock_sign_in
from app.core.tabular import TableError
from app.core.user_import import UserRow, apply_rows, read_users, summary
from app.extensions import db
from app.models import User

ACTIONS = {"new": "new", "update": "update", "same": "unchanged", "refused": "REFUSED"}


def describe(row: UserRow) -> str:
    """One preview line: row number, username, what will happen and why not."""
    why = f": {'; '.join(row.errors)}" if row.errors else ""
    return f"  row {row.number}: {row.values['username'] or '-'} {ACTIONS[row.action]}{why}"


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Apply without asking.")
def import_users_command(path, yes):
    """Import users from an XLSX or CSV file; prints each new account's one-time password once."""
    try:
        _sheet, rows = read_users(path, Path(path).read_bytes())
    except TableError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        click.echo(describe(row))
    counts = summary(rows)
    click.echo(", ".join(f"{n} {ACTIONS[a]}" for a, n in counts.items()))
    if not (counts["new"] or counts["update"]):
        click.echo("Nothing to import.")
        return
    if not yes and not click.confirm("Import the rows not refused?"):
        click.echo("Nothing imported.")
        return
    counts, passwords = apply_rows(None, rows)
    db.session.commit()
    click.echo(f"Imported: {counts['new']} new, {counts['update']} updated.")
    if passwords:
        click.echo("One-time passwords (shown once; each user chooses a new one at first sign-in):")
    for username, name, password in passwords:
        click.echo(f"  {username} / {password} / {name}")


@click.command("unlock")
@click.argument("username", required=False)
@click.option("--address", help="Also lift the lock on this client address (e.g. 10.0.0.8).")
def unlock_command(username, address):
    """Lift a sign-in lock: a locked-out admin's way back in (the password is not changed)."""
    if username is None and address is None:
        raise click.UsageError("give a USERNAME, --address, or both")
    removed = unlock_sign_in(username=username, address=address)
    db.session.commit()
    what = " and ".join(
        part for part in (username and f"user {username}", address and f"address {address}") if part
    )
    click.echo(f"Unlocked {what}." if removed else f"No failed sign-ins recorded for {what}.")


@click.command("sign-out")
@click.argument("username")
def sign_out_command(username):
    """End every sign-in of a user on every device (a lost phone, a leaked cookie)."""
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    ended = sign_out_everywhere(None, user)
    db.session.commit()
    click.echo(f"Signed {username} out of {ended} sign-in(s).")
