"""Command-line tools: `flask seed demo` and `flask users create`."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.core.accounts import create_user, find_jurisdictions
from app.extensions import db
from app.models import User
from app.models.user import ROLES
from app.registry.cli import areas

seed = AppGroup("seed", help="Load data.")
users = AppGroup("users", help="Manage users.")


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Only on a database with no users yet.")
@click.option(
    "--scale",
    type=click.FloatRange(0, 1, min_open=True),
    default=1.0,
    show_default=True,
    help="Share of the ~300 establishments to create (a smaller city for tests).",
)
def seed_demo_command(if_empty, scale):
    """Load the demo city: its registry, demo users and about a year of activity."""
    from app.demo.city import seed_demo

    if if_empty and db.session.scalar(db.select(User.id).limit(1)):
        click.echo("Users exist already: demo data not loaded (run `flask seed demo` to add it).")
        return
    added, logins = seed_demo(scale)
    click.echo(
        "Demo data loaded: " + ", ".join(f"{n} {kind}" for kind, n in added.items()) + " added."
    )
    click.echo("Demo logins (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username} / {password} / {role}")


@users.command("create")
@click.option("--username", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--jurisdiction", "codes", multiple=True, help="Jurisdiction code (inspectors).")
@click.password_option()
def create_user_command(username, display_name, role, codes, password):
    """Create a user, e.g. the first admin of a real deployment."""
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise click.ClickException(f"user {username!r} already exists")
    jurisdictions = find_jurisdictions(codes)
    if len(jurisdictions) != len(set(codes)):
        raise click.ClickException("unknown jurisdiction code")
    if len(password) < 8:
        raise click.ClickException("password must be at least 8 characters")
    create_user(None, username=username, display_name=display_name, role=role,
                password=password, jurisdictions=jurisdictions)  # fmt: skip
    db.session.commit()
    click.echo(f"Created {role} {username}.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(areas)
