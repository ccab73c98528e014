"""The demo city's 双随机 plan: one annual plan over the catering units, drawn once."""

from datetime import date

from app.core.clock import local_today
from app.extensions import db
from app.models import InspectionPlan, Jurisdiction, User
from app.models.jurisdiction import TOP_KINDS
from app.plans import draws

DEMO_PLAN = "演示：年度餐饮服务双随机抽查"


def seed_plan() -> dict[str, int]:
    """Add and draw the demo plan once; returns what was added."""
    if db.session.scalar(db.select(InspectionPlan.id).where(InspectionPlan.name == DEMO_PLAN)):
        return {}
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    inspectors = db.session.scalars(
        db.select(User).where(User.role == "inspector", User.active.is_(True)).order_by(User.id)
    ).all()
    streets = db.session.scalars(
        db.select(Jurisdiction).where(Jurisdiction.kind.in_(TOP_KINDS)).order_by(Jurisdiction.code)
    ).all()
    year = local_today().year
    plan = InspectionPlan(
        name=DEMO_PLAN,
        kind="annual",
        lead_department="餐饮服务食品安全监管股",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        categories=["restaurant_large", "restaurant_medium", "restaurant_small"],
        quota_kind="percent",
        quota=20,
        risk_weights={"A": 1, "B": 2, "C": 3, "D": 4, "": 2},
        bad_record_factor=2.0,
        # The demo has only two inspectors, one per area: area recusal would leave no pair.
        recuse_area_inspector=False,
        note="演示数据：仅两名检查员，未启用本辖区回避。",
    )
    plan.jurisdictions, plan.inspectors = list(streets[:2]), list(inspectors)
    db.session.add(plan)
    db.session.flush()
    draw = draws.run_draw(plan, admin)
    db.session.commit()
    return {"plans": 1, "plan_visits": len(draw.visits)}
