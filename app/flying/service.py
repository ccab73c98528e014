"""Starting a 飞行检查 and reading them: status, result, who may see one.

Unannounced (不预先通知): the pair is drawn with the recorded draw (app.plans.draws) over a
one-unit plan of kind "flying" with the area recusal always on, so the inspectors who cover
the unit's area are never drawn. Until the visit is closed (inspected, could not inspect or
cancelled) a flying check is seen only by the admins and the drawn pair (on their due lists);
viewers, other inspectors and the public see it once it is closed, and the public only its
published result (placard and open feeds; a flying check is never listed on /plans).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, not_
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.clock import local_today
from app.core.scope import ADMIN
from app.core.workdays import Deadline, working_deadline
from app.extensions import db
from app.flying.clues import Clue
from app.inspections.queries import revisions_of
from app.models import Inspection, InspectionPlan, PlanVisit, User
from app.models.plan import FlyingCheck
from app.plans import draws

DEFAULT_WORKING_DAYS = 5  # setting FANGXIN_FLYING_WORKING_DAYS
REASON_MAX = 500
STATUSES = ("open", "done", "could_not_inspect", "cancelled")


class FlyingRefused(ValueError):
    """The flying check cannot start; the message says why, in the office's language."""


class AlreadyOpen(FlyingRefused):
    """The unit already has an open flying check: the clue goes into that one."""

    def __init__(self, message: str, check: FlyingCheck):
        super().__init__(message)
        self.check = check


def deadline_for(start: date, working_days: int) -> Deadline:
    """The visit's deadline: working_days working days after the start (app.core.workdays)."""
    return working_deadline(start, working_days)


def by_token(token: str) -> FlyingCheck | None:
    """The flying check a start form's token already created, if any."""
    return db.session.scalar(db.select(FlyingCheck).where(FlyingCheck.request_token == token))


def open_clause() -> ColumnElement[bool]:
    """FlyingCheck rows whose visit is still open."""
    with_open = db.select(PlanVisit.plan_id).where(PlanVisit.status == "open")
    return FlyingCheck.plan_id.in_(with_open)


def open_check_at(establishment_id: int) -> FlyingCheck | None:
    """The unit's open flying check, if any."""
    return db.session.scalar(
        db.select(FlyingCheck)
        .where(FlyingCheck.establishment_id == establishment_id, open_clause())
        .limit(1)
    )


def flying_inspectors() -> list[User]:
    """Who may be drawn: every active inspector account (the area recusal removes the locals)."""
    query = db.select(User).where(User.active.is_(True), User.role == "inspector")
    return list(db.session.scalars(query.order_by(User.id)))


def start(
    actor: User,
    clue: Clue,
    reason: str,
    token: str,
    working_days: int = DEFAULT_WORKING_DAYS,
    today: date | None = None,
) -> tuple[FlyingCheck, bool]:
    """Record the clue, open a one-unit flying plan and draw its pair; audited, not committed.

    Returns (check, created): a token already used returns its check with created False.
    """
    if found := by_token(token):
        return found, False
    reason = (reason or "").strip()
    if clue.problem:
        raise FlyingRefused(clue.problem)
    if not reason:
        raise FlyingRefused(_("请填写发起飞行检查的理由。"))
    if len(reason) > REASON_MAX:
        raise FlyingRefused(_("理由不超过 %(n)d 字。", n=REASON_MAX))
    est = clue.establishment
    if existing := open_check_at(est.id):
        raise AlreadyOpen(
            _("该单位已有进行中的飞行检查（#%(n)d），请在该次检查中一并核查。", n=existing.id),
            existing,
        )
    today = today or local_today()
    deadline = deadline_for(today, working_days)
    plan = InspectionPlan(
        name=f"飞行检查 · {est.name}",  # data, like every plan name
        kind="flying",
        starts_on=today,
        ends_on=deadline.due,
        categories=[est.category],
        quota_kind="count",
        quota=1,
        risk_weights={},
        bad_record_factor=1.0,
        recuse_area_inspector=True,  # unannounced: the area's own inspectors must not know
        recuse_last_pair=True,
        created_by_id=actor.id,
    )
    plan.inspectors = flying_inspectors()
    check = FlyingCheck(
        plan=plan,
        establishment_id=est.id,
        clue_kind=clue.kind,
        clue_id=clue.id,
        reason=reason,
        request_token=token,
        working_days=working_days,
        due_on=deadline.due,
        started_by_id=actor.id,
    )
    db.session.add_all([plan, check])
    try:
        db.session.flush()
    except IntegrityError:  # the same token a moment ago, from a second click
        db.session.rollback()
        return by_token(token), False
    message = audit.message("flying.start", name=est.name, reason=reason)
    audit.record(actor, "create", check, message)
    try:
        draw = draws.run_draw(plan, actor)
    except draws.DrawError as err:
        raise FlyingRefused(str(err)) from None
    if not draw.visits:
        raise FlyingRefused(
            _("回避本辖区检查人员和申报回避后，可抽取的检查人员不足 2 名，无法组成检查组。")
        )
    return check, True


def redraw(actor: User, check: FlyingCheck, reason: str):
    """Draw the pair again (an inspector ill, a conflict found late): recorded with its reason,
    the earlier draw kept and its visit cancelled, the deadline unchanged; audited."""
    if not is_open(check):
        raise FlyingRefused(_("检查已结束，不能重新抽取。"))
    try:
        draw = draws.run_draw(check.plan, actor, (reason or "").strip()[:1000])
    except draws.DrawError as err:
        raise FlyingRefused(str(err)) from None
    if not draw.visits:
        raise FlyingRefused(
            _("回避本辖区检查人员和申报回避后，可抽取的检查人员不足 2 名，无法组成检查组。")
        )
    return draw


def visit_of(check: FlyingCheck) -> PlanVisit | None:
    """The visit of the check's draw in force."""
    live = draws.live_draw(check.plan)
    return live.visits[0] if live and live.visits else None


def status_of(check: FlyingCheck) -> str:
    """open, done, could_not_inspect or cancelled (the visit's state)."""
    visit = visit_of(check)
    return visit.status if visit else "cancelled"


def is_open(check: FlyingCheck) -> bool:
    return status_of(check) == "open"


def may_see(user: User, check: FlyingCheck) -> bool:
    """Admins always; everybody else once the visit is closed (unannounced until then)."""
    return getattr(user, "role", None) in ADMIN or not is_open(check)


def result_of(check: FlyingCheck) -> Inspection | None:
    """The current revision of the inspection that closed the visit, if any."""
    visit = visit_of(check)
    if visit is None or visit.inspection is None:
        return None
    return revisions_of(visit.inspection)[-1]


def visible_query(user: User):
    """The flying checks the user may see, newest first."""
    query = db.select(FlyingCheck).order_by(FlyingCheck.started_at.desc(), FlyingCheck.id.desc())
    if getattr(user, "role", None) not in ADMIN:
        query = query.where(not_(open_clause()))
    return query


def visible_checks(user: User, status: str = "") -> list[FlyingCheck]:
    """The flying checks the user may see, filtered by status."""
    rows = list(db.session.scalars(visible_query(user)))
    return [c for c in rows if not status or status_of(c) == status]


def checks_for_clue(user: User, kind: str, clue_id: int) -> list[FlyingCheck]:
    """The flying checks started from this clue (a unit: of this unit) that the user may see."""
    if kind == "unit":  # a unit's page: every flying check of the unit, whatever its clue
        query = visible_query(user).where(FlyingCheck.establishment_id == clue_id)
    else:
        kinds = ("complaint", "insider") if kind in ("complaint", "insider") else (kind,)
        query = visible_query(user).where(FlyingCheck.clue_kind.in_(kinds))
        query = query.where(FlyingCheck.clue_id == clue_id)
    return list(db.session.scalars(query))


def check_of_plan(plan: InspectionPlan) -> FlyingCheck | None:
    """The flying check behind a plan of kind flying."""
    return plan.flying if plan.kind == "flying" else None
