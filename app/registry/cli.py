"""`flask areas …`: street offices, zones, communities and villages from the command line."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.tabular import TableError
from app.extensions import db
from app.models.jurisdiction import JURISDICTION_KINDS
from app.registry import jurisdiction_import as area_import
from app.registry import jurisdictions as units
from app.registry.jurisdictions import JurisdictionError

areas = AppGroup(
    "areas", help="Manage jurisdictions (street offices, zones, communities, villages)."
)
OUTCOMES = {"new": "new", "update": "update", "same": "unchanged", "refused": "refused"}


def unit_or_fail(code: str):
    """The unit with this code, or a click error naming it."""
    unit = units.by_code(code)
    if unit is None:
        raise click.ClickException(f"unknown jurisdiction code {code!r}")
    return unit


def done(message: str) -> None:
    """Commit and say what was done."""
    db.session.commit()
    click.echo(message)


def run(change, *args):
    """Call a domain change, turning a refusal into a click error."""
    try:
        return change(None, *args)
    except (JurisdictionError, TableError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


def echo_counts(counts: dict) -> None:
    """What an import did."""
    click.echo(", ".join(f"{n} {OUTCOMES[k]}" for k, n in counts.items()))


@areas.command("load-yima")
def load_yima_command():
    """Load Yima's six street offices and the development zone (again: no change)."""
    echo_counts(run(lambda actor: area_import.load_yima(actor)))
    done("Yima's top level is loaded; add communities and villages with `flask areas create`.")


@areas.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Apply without asking after the preview.")
def import_command(path, yes):
    """Import jurisdictions from a CSV or XLSX file (编码, 名称, 上级编码, 类型)."""
    try:
        rows = area_import.read_rows(path.name, path.read_bytes())
    except TableError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        reason = "; ".join(row.errors)
        click.echo(f"row {row.number}: {row.code} {row.name} — {OUTCOMES[row.outcome]} {reason}")
    if not yes and not click.confirm("Apply the accepted rows?"):
        return
    echo_counts(run(area_import.apply_rows, rows))
    done("Imported.")


@areas.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(JURISDICTION_KINDS)), required=True)
@click.option("--parent", "parent_code", help="Code of the street office or zone (not for tops).")
def create_command(code, name, kind, parent_code):
    """Create a street office, zone, community or village."""
    parent = unit_or_fail(parent_code) if parent_code else None
    unit = run(units.create, code, name, kind, parent)
    done(f"Created {unit.code} {unit.full_name}.")


@areas.command("rename")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(JURISDICTION_KINDS)))
def rename_command(code, name, kind):
    """Rename a unit (and optionally change its kind on the same level)."""
    unit = unit_or_fail(code)
    run(units.rename, unit, name, kind)
    done(f"{unit.code} is now {unit.full_name}.")


@areas.command("move")
@click.argument("code")
@click.argument("parent_code")
def move_command(code, parent_code):
    """Put a community or village under another street office or zone."""
    unit, parent = unit_or_fail(code), unit_or_fail(parent_code)
    run(units.move, unit, parent)
    done(f"{unit.code} is now {unit.full_name}.")


@areas.command("merge")
@click.argument("source_code")
@click.argument("target_code")
def merge_command(source_code, target_code):
    """Move everything of SOURCE into TARGET and close SOURCE."""
    source, target = unit_or_fail(source_code), unit_or_fail(target_code)
    moved = run(units.merge, source, target)
    done(
        f"Merged {source.code} into {target.code}: "
        + ", ".join(f"{n} {k}" for k, n in moved.items())
    )


@areas.command("close")
@click.argument("code")
def close_command(code):
    """Close an empty unit (its history stays)."""
    unit = unit_or_fail(code)
    run(units.close, unit)
    done(f"Closed {unit.code} {unit.name}.")


@areas.command("list")
@click.option("--all", "show_closed", is_flag=True, help="Include closed units.")
def list_command(show_closed):
    """Print the tree of units with their codes."""
    for top, children in units.tree():
        for unit, indent in [(top, "")] + [(c, "  ") for c in children]:
            if unit.active or show_closed:
                closed = "" if unit.active else " (closed)"
                click.echo(f"{indent}{unit.code}\t{unit.name}\t{unit.kind}{closed}")
