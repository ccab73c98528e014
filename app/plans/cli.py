"""`flask plans draw <plan_id>`: the office's draw from the command line, recorded the same way."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.models import InspectionPlan, User
from app.plans import draws

plans_group = AppGroup("plans", help="Inspection plans (双随机).")


@plans_group.command("draw")
@click.argument("plan_id", type=int)
@click.option("--by", "username", required=True, help="The admin account the draw is recorded for.")
@click.option("--reason", default="", help="Required for a redraw.")
def draw_command(plan_id: int, username: str, reason: str) -> None:
    """Run (or, with a reason, re-run) a plan's draw and print its record."""
    plan = db.session.get(InspectionPlan, plan_id)
    actor = db.session.scalar(db.select(User).where(User.username == username))
    if plan is None:
        raise click.ClickException(f"没有编号为 {plan_id} 的计划。")
    if actor is None or actor.role != "admin":
        raise click.ClickException(f"{username} 不是管理员账号。")
    try:
        draw = draws.run_draw(plan, actor, reason)
    except draws.DrawError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from None
    db.session.commit()
    click.echo(f"draw {draw.number} seed {draw.seed} method {draw.method}")
    click.echo(f"eligible {len(draw.eligible_establishments)} drawn {len(draw.result)}")
    click.echo(f"visits {len(draw.visits)} replays {draws.replays(draw)}")
