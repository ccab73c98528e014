"""`flask indicators warm`: the dashboard's figures computed into the roll-up cache ahead of
the day's first views (a cron job after midnight, or after a deploy or a bulk import)."""

import time

import click
from flask.cli import AppGroup

from app.core.clock import local_today
from app.indicators.dashboard import warm_dashboards
from app.indicators.periods import PeriodError, parse_period, quarter_of

indicators_group = AppGroup("indicators", help="The plan's task indicators.")


@indicators_group.command("warm")
@click.option("--period", "code", help="A period code such as 2026Q4 (default: this quarter).")
def warm_command(code: str | None) -> None:
    """Compute the dashboard's figures for the city and each street office into the cache."""
    try:
        period = parse_period(code) if code else quarter_of(local_today())
    except PeriodError:
        raise click.ClickException(f"无法识别的期间：{code}（例如 2026Q4 或 2026）") from None
    began = time.perf_counter()
    for unit in warm_dashboards(period):
        click.echo(f"{period.code} {unit or '全市'}")
    click.echo(f"{time.perf_counter() - began:.1f} s")
