"""The command line: demo seed and user creation share the web's services."""

from app.demo.city import CATEGORY_COUNTS
from app.extensions import db
from app.models import (
    AuditEvent,
    Complaint,
    Coordinator,
    Establishment,
    Inspection,
    Jurisdiction,
    LedgerEntry,
    Registration,
    User,
)
from app.models.establishment import CATEGORIES

# The full demo (~300 units, ~650 inspections) takes some 20 s; the tests load a fifth of it.
SMALL = ["seed", "demo", "--scale", "0.2"]
MODELS = (Jurisdiction, Establishment, User, Inspection, Registration, Complaint, Coordinator,
          LedgerEntry, AuditEvent)  # fmt: skip


def counts():
    return [db.session.scalar(db.select(db.func.count(model.id))) for model in MODELS]


def test_seed_demo_loads_a_city_and_twice_does_not_duplicate(runner):
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    assert "admin / fangxin-admin / admin" in result.output
    assert "inspector2 / fangxin-inspector2 / inspector" in result.output
    assert "reviewer / fangxin-reviewer / admin" in result.output
    _units, establishments, users, inspections, regs, complaints, *_ = counts()
    assert sum(CATEGORY_COUNTS.values()) >= 280  # the full city; here a fifth of it
    assert establishments == sum(max(1, round(n * 0.2)) for n in CATEGORY_COUNTS.values())
    assert users == 5  # admin, reviewer, two inspectors, viewer
    assert inspections > establishments and regs > 0 and complaints > 0
    streets = db.session.scalars(db.select(Jurisdiction).where(Jurisdiction.parent_id.is_(None)))
    assert {j.name for j in streets} >= {"新区街道", "千秋路街道", "先进制造业开发区"}
    used = set(db.session.scalars(db.select(Establishment.category).distinct()))
    assert used == set(CATEGORIES)
    names = db.session.scalars(db.select(Establishment.name))
    assert all(name.startswith("【演示】") for name in names)
    before = counts()
    again = runner.invoke(args=SMALL)
    assert again.exit_code == 0
    assert "0 establishments, 0 registrations, 0 coordinators, 0 complaints, 0 inspections" in (
        again.output
    )
    assert counts() == before


def test_seed_if_empty_skips_a_used_database(runner, city):
    result = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert "not loaded" in result.output
    assert db.session.scalar(db.select(db.func.count(Establishment.id))) == 0


def test_demo_users_can_sign_in(runner, client):
    runner.invoke(args=["seed", "demo", "--scale", "0.05"])
    response = client.post(
        "/login", data={"username": "inspector", "password": "fangxin-inspector"}
    )
    assert response.headers["Location"] == "/field/"


def test_users_create(runner, city):
    result = runner.invoke(
        args=["users", "create", "--username", "li", "--name", "李检查", "--role", "inspector",
              "--jurisdiction", "XQ", "--password", "long-enough-pw"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.username == "li"))
    assert user.check_password("long-enough-pw")
    assert [j.code for j in user.jurisdictions] == ["XQ"]
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
    )


def test_users_create_refuses_bad_input(runner, city):
    base = ["users", "create", "--name", "x", "--role", "admin"]
    taken = runner.invoke(args=[*base, "--username", "admin", "--password", "long-enough"])
    assert "already exists" in taken.output
    short = runner.invoke(args=[*base, "--username", "new", "--password", "short"])
    assert "at least 8" in short.output
    unknown = runner.invoke(
        args=[*base, "--username", "n2", "--password", "long-enough", "--jurisdiction", "NOPE"]
    )
    assert "unknown jurisdiction" in unknown.output


def test_users_create_refuses_a_closed_area(runner, city):
    runner.invoke(args=["areas", "create", "OLD", "旧街道", "--kind", "street"])
    assert runner.invoke(args=["areas", "close", "OLD"]).exit_code == 0
    closed = runner.invoke(
        args=["users", "create", "--username", "n3", "--name", "x", "--role", "inspector",
              "--password", "long-enough", "--jurisdiction", "OLD"],
    )  # fmt: skip
    assert closed.exit_code != 0 and "jurisdiction closed: OLD" in closed.output
    assert not db.session.scalar(db.select(User).where(User.username == "n3"))
