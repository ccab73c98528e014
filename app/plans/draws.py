"""Running, recording and replaying a plan's draw; a redraw needs a reason and is kept."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _

from app.core import audit
from app.core.clock import local_today
from app.extensions import db
from app.models import InspectionPlan, PlanDraw, PlanVisit, User
from app.models.types import utcnow
from app.plans import eligibility, method


class DrawError(Exception):
    """A draw that cannot run; the message is for the office, in its language."""


def live_draw(plan: InspectionPlan) -> PlanDraw | None:
    """The plan's draw in force (not superseded), if any."""
    return next((d for d in plan.draws if not d.superseded), None)


def check_can_draw(plan: InspectionPlan, reason: str) -> None:
    """Refuse a draw that has nothing to draw from, or a quiet repeat."""
    if live_draw(plan) and not reason.strip():
        raise DrawError(_("本计划已抽取过；重新抽取必须填写理由，原抽取结果将保留并标记为作废。"))
    if plan.ends_on < local_today():
        raise DrawError(_("计划期限已过（%(d)s），不能再抽取。", d=plan.ends_on.isoformat()))


def freeze(plan: InspectionPlan) -> tuple[list, list, dict]:
    """The eligible units, inspectors and recusals, or a DrawError saying what is missing."""
    ests = eligibility.eligible_establishments(plan)
    if not ests:
        raise DrawError(_("计划范围内没有符合条件的单位（类别、街道），无法抽取。"))
    inspectors = eligibility.eligible_inspectors(plan)
    if len(inspectors) < 2:
        raise DrawError(
            _("可抽取的检查人员不足 2 名（每户须两名检查人员），请先在计划中选择检查人员。")
        )
    recusals = eligibility.recusals(plan, [e["id"] for e in ests], [i["id"] for i in inspectors])
    return ests, inspectors, recusals


def run_draw(plan: InspectionPlan, actor: User, reason: str = "", seed: str | None = None):
    """Draw units and pairs, record everything, open the visits; supersede an earlier draw."""
    reason = reason.strip()
    check_can_draw(plan, reason)
    ests, inspectors, recusals = freeze(plan)
    seed = seed or secrets.token_hex(16)
    count = eligibility.target_count(plan, len(ests))
    result = method.run(seed, count, ests, inspectors, recusals)
    previous = live_draw(plan)
    if previous:
        supersede(previous)
    draw = PlanDraw(
        plan=plan,
        number=max((d.number for d in plan.draws), default=0) + 1,
        seed=seed,
        method=method.METHOD,
        target_count=count,
        eligible_establishments=ests,
        eligible_inspectors=inspectors,
        recusals=recusals,
        result=result,
        reason=reason,
        drawn_by_id=actor.id if actor else None,
    )
    db.session.add(draw)
    open_visits(draw)
    db.session.flush()
    key, params = ("plan.redraw", {"reason": reason}) if previous else ("plan.draw", {})
    message = audit.message(key, name=plan.name, number=draw.number, **params)
    audit.record(actor, "redraw" if previous else "draw", draw, message)
    return draw


def supersede(draw: PlanDraw) -> None:
    """Keep the old draw, mark it superseded and cancel its visits not yet done."""
    draw.superseded, draw.superseded_at = True, utcnow()
    for visit in draw.visits:
        if visit.status == "open":
            visit.status, visit.closed_at = "cancelled", utcnow()
    db.session.flush()


def open_visits(draw: PlanDraw) -> None:
    """One open visit per drawn unit that has a pair, due at the plan's end."""
    for row in draw.result:
        if row["lead"] is None:
            continue
        draw.visits.append(
            PlanVisit(
                plan=draw.plan,
                establishment_id=row["establishment_id"],
                lead_inspector_id=row["lead"],
                partner_id=row["partner"],
                due_on=draw.plan.ends_on,
                status="open",
            )
        )


def replay_draw(draw: PlanDraw) -> list[dict]:
    """Re-run the recorded draw from its seed and frozen lists."""
    if draw.method != method.METHOD:
        raise DrawError(_("未知的抽取方法：%(m)s", m=draw.method))
    return method.run(
        draw.seed,
        draw.target_count,
        draw.eligible_establishments,
        draw.eligible_inspectors,
        draw.recusals,
    )


def replays(draw: PlanDraw) -> bool:
    """Whether re-running the record gives exactly the recorded result."""
    try:
        return replay_draw(draw) == draw.result
    except DrawError:
        return False
