"""Command-line tools: `flask seed demo` and `flask users create`."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.backup.cli import backup_command, restore_command
from app.core.accounts import DEPARTMENTS, MIN_PASSWORD, create_user, find_jurisdictions
from app.core.imports_cli import imports
from app.core.users_cli import import_users_command, sign_out_command, unlock_command
from app.core.workdays_cli import workdays_group
from app.extensions import db
from app.indicators.cli import indicators_group
from app.models import User
from app.models.user import ROLES
from app.photos.uploads_cli import uploads
from app.plans.cli import plans_group
from app.registry.cli import areas

seed = AppGroup("seed", help="Load data.")
users = AppGroup("users", help="Manage users.")
users.add_command(import_users_command)
users.add_command(unlock_command)
users.add_command(sign_out_command)


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Only on a database with no users yet.")
@click.option(
    "--scale",
    type=click.FloatRange(0, 1, min_open=True),
    default=1.0,
    show_default=True,
    help="Share of the ~300 establishments to create (a smaller city for tests).",
)
@click.option("--allow-real-data", is_flag=True, help="Load demo users and units beside real data.")
def seed_demo_command(if_empty, scale, allow_real_data):
    """Load the demo city: its registry, demo users and about a year of activity."""
    from app.demo import guard
    from app.demo.city import seed_demo

    if if_empty and db.session.scalar(db.select(User.id).limit(1)):
        click.echo("Users exist already: demo data not loaded (run `flask seed demo` to add it).")
        return
    real = guard.real_data()
    if real and not allow_real_data:
        refuse_demo(real, if_empty)
        return
    added, logins = seed_demo(scale)
    guard.forget()
    click.echo(
        "Demo data loaded: " + ", ".join(f"{n} {kind}" for kind, n in added.items()) + " added."
    )
    click.echo("Demo logins (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username} / {password} / {role}")


def refuse_demo(real: dict[str, int], if_empty: bool) -> None:
    """Say why the demo is not loaded; an error unless --if-empty asked for a quiet skip."""
    found = ", ".join(f"{n} {kind}" for kind, n in real.items())
    message = (
        f"This instance holds real data ({found} that are not demo data): demo data not loaded,"
        " because its users have published passwords. To load it anyway, run"
        " `flask seed demo --allow-real-data`."
    )
    if if_empty:
        click.echo(message)
        return
    raise click.ClickException(message)


@users.command("create")
@click.option("--username", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--jurisdiction", "codes", multiple=True, help="Jurisdiction code (inspectors).")
@click.option(
    "--lead",
    type=click.Choice(list(DEPARTMENTS)),
    help="Lead department whose summaries a viewer writes (牵头单位).",
)
@click.password_option()
def create_user_command(username, display_name, role, codes, lead, password):
    """Create a user, e.g. the first admin of a real deployment."""
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise click.ClickException(f"user {username!r} already exists")
    jurisdictions = find_jurisdictions(codes)
    unknown = sorted(set(codes) - {j.code for j in jurisdictions})
    if unknown:
        raise click.ClickException(f"unknown jurisdiction code: {', '.join(unknown)}")
    closed = [j.code for j in jurisdictions if not j.active]
    if closed:
        raise click.ClickException(
            f"jurisdiction closed: {', '.join(closed)} (see flask areas list)"
        )
    if len(password) < MIN_PASSWORD:
        raise click.ClickException("password must be at least 8 characters")
    create_user(None, username=username, display_name=display_name, role=role,
                password=password, jurisdictions=jurisdictions, lead=lead)  # fmt: skip
    db.session.commit()
    click.echo(f"Created {role} {username}.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(areas)
    app.cli.add_command(imports)
    app.cli.add_command(uploads)
    app.cli.add_command(workdays_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(plans_group)
    app.cli.add_command(indicators_group)
