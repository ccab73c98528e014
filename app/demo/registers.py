"""Demo activity outside inspections: "three small" cards, coordinators, complaints.

Through the same services as the office pages (app.registrations, app.coordinators,
app.complaints). Part of the demo history loaded by app.demo_activity; each part is
loaded once (skipped when the demo city already has rows of its kind).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from app.core.clock import LOCAL_ZONE, local_today
from app.extensions import db
from app.models import Complaint, Coordinator, Establishment, Jurisdiction, Registration, User
from app.public import complaints
from app.registers import coordinators, registrations

PRODUCTS = {
    "small_workshop": "手工挂面、馒头、花卷",
    "small_shop": "预包装食品、散装食品（不含冷藏冷冻食品）",
    "stall": "早餐（油条、豆浆、胡辣汤）",
}
COORDINATORS = ["王秀兰", "李建军", "张桂芳", "刘志强", "陈玉梅", "杨国庆", "赵春生", "孙红霞"]
COMPLAINTS = [
    ("店内货架上有过期的饮料和饼干。", "经现场核查，下架过期食品 6 件，责令限期整改并已复查。"),
    (
        "后厨卫生很差，地面油污多，有苍蝇。",
        "已现场检查，责令当场清洁并限期完善防蝇设施，已复查合格。",
    ),
    (
        "吃完饭后肚子不舒服，怀疑食材不新鲜。",
        "已调取进货台账并抽检留样，未发现异常；已告知举报人。",
    ),
    ("店员不戴帽子口罩直接拿熟食。", "已约谈负责人，从业人员规范穿戴工作衣帽，已复查。"),
    ("散装食品没有标签，看不出生产日期。", "已责令补齐散装食品标签，经营者已整改。"),
    ("外卖平台上的店名和实际地址不一致。", "经核实为平台信息未更新，已督促平台和商户更正。"),
    ("明厨亮灶的摄像头好几天看不到画面。", "设备故障已报修，已督促三日内恢复并复查在线。"),
    ("摊点在学校门口卖三无辣条。", "已现场查扣三无食品，责令停止销售，移交立案调查。"),
]
# The story of each "three small" unit's card (shares of units, in this order).
STORIES = [("missing", 0.08), ("pending", 0.04), ("new", 0.06), ("late_first", 0.03),
           ("expiring", 0.06), ("renewed", 0.03)]  # fmt: skip


@dataclass
class Plan:
    """One unit's card: its story, when it was applied for, issued and (maybe) renewed."""

    kind: str
    applied: date | None = None
    issued: date | None = None
    renewed: date | None = None

    @property
    def since(self) -> date | None:
        """When a new unit entered the registry: a few days before it applied."""
        return self.applied - timedelta(days=3) if self.applied else None


def has_demo(model, column) -> bool:
    """Whether any row of a model already belongs to a demo establishment."""
    stmt = db.select(model.id).join(Establishment, column == Establishment.id)
    found = db.session.scalar(stmt.where(Establishment.licence_no.like("DEMO-%")).limit(1))
    return found is not None


def team_of(est: Establishment, users: dict[str, User]) -> User:
    """The demo inspector covering the unit's street office, else the admin (office team)."""
    for user in users.values():
        if user.role == "inspector" and est.jurisdiction.top in user.jurisdictions:
            return user
    return users["admin"]


def at_local(day: date, hour: int = 10) -> datetime:
    """A local day at an hour, as aware UTC."""
    return datetime.combine(day, time(hour), LOCAL_ZONE).astimezone(UTC)


def story(rng: random.Random, kind: str) -> str:
    """Draw a card story; only registrations (not filings) expire or are renewed."""
    r, edge = rng.random(), 0.0
    for name, share in STORIES:
        edge += share
        if r < edge:
            return (
                name if kind == "registration" or name not in ("expiring", "renewed") else "issued"
            )
    return "issued"


def plan_for(rng: random.Random, kind: str, start: date, today: date) -> Plan:
    """The dates of one unit's card story."""
    name, ago = story(rng, kind), lambda a, b: today - timedelta(days=rng.randint(a, b))
    three_years = registrations.anniversary(today, -3)  # issued then: expires about now
    if name == "missing":
        return Plan(name)
    if name == "pending":
        return Plan(name, ago(2, 20))
    if name in ("new", "late_first"):
        applied = ago(20, 50) if name == "new" else ago(75, 100)
        return Plan(name, applied, applied + timedelta(days=rng.randint(3, 10)))
    if name == "expiring":
        issued = three_years + timedelta(days=rng.randint(2, 28))
    elif name == "renewed":
        issued = three_years - timedelta(days=rng.randint(30, 200))
    else:
        issued = start + timedelta(days=rng.randint(-600, 150))
    plan = Plan(name, issued - timedelta(days=rng.randint(3, 15)), issued)
    if name == "renewed":
        plan.renewed = registrations.valid_until_for(issued) - timedelta(days=rng.randint(3, 20))
    return plan


def registration_plans(ests: list[Establishment], start: date) -> dict[int, Plan]:
    """Each "three small" unit's card story, by establishment id (deterministic)."""
    rng, today = random.Random(20252), local_today()
    return {
        est.id: plan_for(rng, registrations.KIND_BY_CATEGORY[est.category], start, today)
        for est in ests
        if est.category in registrations.KIND_BY_CATEGORY
    }


def details(est: Establishment) -> dict:
    """What the application form asks, filled for a demo unit."""
    n = (est.licence_no or "0000")[-4:]
    return {
        "operator": est.operator,
        "id_number": f"411281********{n}",
        "contact_phone": est.contact_phone,
        "address": est.address,
        "business_licence_no": f"DEMO-92411281{n}",
        "health_certificates": "从业人员 2 人，健康证明均在有效期内",
        "products": PRODUCTS[est.category],
        "process_flow": "原料验收→和面→压面→切条→晾晒→包装"
        if est.category == "small_workshop"
        else "",
        "area": "义马市夜市东侧指定区域" if est.category == "stall" else "",
        "hours": "06:00-10:00" if est.category == "stall" else "",
        "safety_pledge": True,
    }


def seed_registrations(ests: list[Establishment], plans: dict[int, Plan], admin: User) -> int:
    """Applications, cards and renewals as planned; returns the rows added."""
    added = 0
    for est in ests:
        plan = plans.get(est.id)
        if plan is None or plan.applied is None:
            continue
        reg = registrations.apply(admin, est, plan.applied, details(est))
        reg.created_at = at_local(plan.applied)  # demo history: created when applied for
        added += 1
        if plan.issued is not None:
            registrations.approve(admin, reg, plan.issued)
        if plan.renewed is not None:
            new = registrations.renew(admin, reg, plan.renewed)
            new.created_at = at_local(plan.renewed)
            added += 1
    return added


def demo_villages() -> list[Jurisdiction]:
    """The demo city's villages, by code."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.kind == "village")
    return list(db.session.scalars(stmt.order_by(Jurisdiction.code)))


def seed_coordinators(admin: User, start: date) -> int:
    """A coordinator in most villages: one hand-over, one village left, one never covered."""
    rng, today, added = random.Random(20253), local_today(), 0
    villages = demo_villages()
    for i, village in enumerate(villages[:-1]):  # the last village never had one
        begin = start + timedelta(days=rng.randint(0, 60))
        end = today - timedelta(days=40) if i == 2 else None  # left; not yet replaced
        if i == 4:  # handed over mid-campaign
            left = begin + timedelta(days=150)
            add_coordinator(admin, village, COORDINATORS[-1], begin, left)
            begin, added = left + timedelta(days=1), added + 1
        add_coordinator(admin, village, COORDINATORS[i % len(COORDINATORS)], begin, end)
        added += 1
    return added


def add_coordinator(admin: User, village: Jurisdiction, name: str, begin: date, end) -> None:
    """Register one coordinator through the office's service."""
    phone = f"1390398{village.id:04d}"
    coordinators.add(admin, name=name, phone=phone, village_id=village.id,
                     start_on=begin, end_on=end)  # fmt: skip


def seed_complaints(ests: list[Establishment], users: dict[str, User]) -> int:
    """A dozen public complaints: most closed in time, one late, some in hand, some new."""
    rng, today = random.Random(20254), local_today()
    pool = [e for e in ests if e.category.startswith(("restaurant", "small", "rural", "stall"))]
    states = ["closed"] * 7 + ["late", "in_progress", "in_progress", "open", "open"]
    config = current_app.config
    per_sender = config["FANGXIN_COMPLAINTS_PER_SENDER_HOUR"]
    for i, (est, state) in enumerate(zip(rng.sample(pool, len(states)), states, strict=True)):
        text, reply = COMPLAINTS[i % len(COMPLAINTS)]
        back = {"closed": (20, 300), "late": (60, 200), "in_progress": (3, 12), "open": (0, 4)}
        created = at_local(today - timedelta(days=rng.randint(*back[state])), rng.randint(8, 20))
        sender = hashlib.sha256(f"demo-sender-{i}".encode()).hexdigest()
        phone = complaints.normalise_phone(f"1590398{i:04d}") or ""
        complaint = complaints.submit_complaint(est, text, phone, sender, per_sender)
        handle(complaint, state, reply, team_of(est, users), users["admin"], rng)
        # Demo history: the service stamps "now"; the complaint came in (and closed) earlier.
        complaint.created_at = created
        if complaint.closed_at is not None:
            days = rng.randint(18, 30) if state == "late" else rng.randint(2, 12)
            complaint.closed_at = created + timedelta(days=days)
    return len(states)


def handle(complaint: Complaint, state: str, reply: str, lead: User, admin: User, rng) -> None:
    """Assign, answer and close a complaint as far as its story goes."""
    if state == "open":
        return
    assignee = lead if lead.role == "inspector" else admin
    if assignee.role != "inspector":
        assignee = rng.choice(complaints.assignable_inspectors())
    complaints.assign(admin, complaint, assignee)
    if state == "in_progress":
        complaints.save_reply(assignee, complaint, "已安排现场核查。")
        return
    complaints.advance(assignee, complaint, reply)


def registration_live_on(est: Establishment, day: date) -> bool:
    """Whether the unit held a valid card on a day (the indicator's rule)."""
    stmt = db.select(Registration.id).where(
        Registration.establishment_id == est.id, registrations.counts_at(day)
    )
    return db.session.scalar(stmt.limit(1)) is not None


def seed_registers(ests: list[Establishment], plans: dict[int, Plan], start: date) -> dict:
    """Registrations, coordinators and complaints, each only where none are loaded yet."""
    users = {u.username: u for u in db.session.scalars(db.select(User))}
    admin, added = users["admin"], {"registrations": 0, "coordinators": 0, "complaints": 0}
    if not has_demo(Registration, Registration.establishment_id):
        added["registrations"] = seed_registrations(ests, plans, admin)
    if db.session.scalar(db.select(Coordinator.id).limit(1)) is None:
        added["coordinators"] = seed_coordinators(admin, start)
    if not has_demo(Complaint, Complaint.establishment_id):
        added["complaints"] = seed_complaints(ests, users)
    db.session.commit()
    return added
