"""The demo city's year of activity: made through the services, in the past, plausible.

One seed per test (a fifth of the city, ~4 s), so the checks are grouped.
"""

from datetime import timedelta

import pytest

from app.checklists import get_programme, shipped_programmes
from app.core.clock import local, local_today
from app.demo.city import UNLICENSED
from app.due.visits import due_list
from app.extensions import db
from app.indicators.catalogue import INDICATORS
from app.indicators.periods import quarter_of
from app.indicators.rollup import make_scope, rollup
from app.inspections.ledger import is_overdue
from app.models import (
    AuditEvent,
    Complaint,
    Establishment,
    Inspection,
    LedgerEntry,
    Registration,
    Sample,
    User,
)
from app.models.types import utcnow


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed", "demo", "--scale", "0.2"])
    assert result.exit_code == 0, result.output


def all_of(model, *where):
    return list(db.session.scalars(db.select(model).where(*where)))


def check_inspections():
    inspections = all_of(Inspection)
    now, start = utcnow(), local_today() - timedelta(days=460)
    assert all(i.status == "submitted" for i in inspections)  # no drafts: those are users'
    assert all(start < local(i.submitted_at).date() and i.submitted_at < now for i in inspections)
    assert all(i.started_at < i.submitted_at for i in inspections)
    assert all(i.second_inspector and i.operator_rep for i in inspections)
    assert all(i.second_inspector != i.inspector.display_name for i in inspections)
    assert {i.inspector.username for i in inspections} >= {"inspector", "inspector2"}
    assert {i.outcome for i in inspections} == {"compliant", "basic", "noncompliant"}
    submits = db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "submit")
    assert db.session.scalar(submits) == len(inspections)  # audited like a submit from a page


def check_programmes():
    """Every programme has demo inspections (issue #14), each of a category it applies to."""
    inspections = all_of(Inspection)
    assert {i.programme for i in inspections} == set(shipped_programmes())
    for i in inspections:
        assert get_programme(i.programme).applies_to(i.establishment.category)
        if i.programme == "surveillance_site":
            assert i.establishment.surveillance_site  # centres are checked as sites
    online = {i.establishment_id for i in inspections if i.programme == "online_food"}
    catered = {i.establishment_id for i in inspections if i.programme == "catering"}
    assert online and online <= catered  # online caterers get both checks


def check_markets():
    for market in all_of(Establishment, Establishment.category == "farm_market"):
        latest = db.session.scalar(
            db.select(Inspection)
            .where(Inspection.establishment_id == market.id)
            .order_by(Inspection.submitted_at.desc())
        )
        if latest is not None:
            assert market.risk_grade == latest.grade
            assert market.risk_assessed_on == local(latest.submitted_at).date()


def check_ledger():
    actions = all_of(LedgerEntry)
    assert {a.state for a in actions} >= {"open", "verified"}
    assert any(is_overdue(a) for a in actions)
    assert any(a.verifying_inspection_id for a in actions)
    for action in actions:
        if action.sample_id:  # a failing rapid test (app.demo.samples)
            check_sample_entry(action)
            continue
        opening = db.session.get(Inspection, action.inspection_id)
        assert action.opened_at == opening.submitted_at
        assert action.due_date is None or action.due_date >= local(opening.submitted_at).date()
        assert action.verified_at is None or action.verified_at <= utcnow()


def check_sample_entry(action):
    sample = db.session.get(Sample, action.sample_id)
    assert sample.result == "fail" and sample.action_codes
    assert action.inspection_id is None and action.opened_at == sample.tested_at
    assert action.due_date > sample.tested_on


def check_samples():
    samples = all_of(Sample)
    markets = {e.id for e in all_of(Establishment) if e.category == "farm_market"}
    assert {s.establishment_id for s in samples} == markets
    assert {s.result for s in samples} == {"pass", "fail"}
    assert max(s.tested_on for s in samples) <= local_today()


def check_registers_and_complaints():
    assert {"issued", "applied"} <= {r.state for r in all_of(Registration)}
    complaints = all_of(Complaint)
    assert {c.state for c in complaints} == {"open", "in_progress", "closed"}
    assert all(c.reply for c in complaints if c.state == "closed")
    assert all(c.created_at < utcnow() for c in complaints)
    assert all(c.closed_at > c.created_at for c in complaints if c.closed_at)


def check_licences():
    today, start = local_today(), local_today() - timedelta(days=460)
    ests = all_of(Establishment)
    licensed = [e for e in ests if e.category not in UNLICENSED]
    assert all(e.licence_valid_until is None for e in ests if e.category in UNLICENSED)
    assert all(start > e.permit_issued_on for e in licensed)  # no catering grade withheld
    assert all(e.permit_issued_on < e.licence_valid_until for e in licensed)
    left = sorted((e.licence_valid_until - today).days for e in licensed)
    assert left[0] < 0 <= left[1]  # exactly one lapsed
    assert 2 <= sum(1 for days in left if 0 <= days < 60) < len(left) / 4  # a few expiring


def test_demo_history_is_consistent(demo, app):
    check_inspections()
    check_programmes()
    check_markets()
    check_ledger()
    check_samples()
    check_registers_and_complaints()
    check_licences()
    inspector = db.session.scalar(db.select(User).where(User.username == "inspector"))
    assert due_list(inspector, app.config)


def test_dashboard_shows_figures_after_the_seed(demo, client):
    scope = make_scope(quarter_of(local_today()))
    figures = {ind.code: rollup(ind, scope)[None] for ind in INDICATORS}
    assert figures["five_goods"].den > 0 and figures["five_goods"].value > 0
    assert sum(1 for f in figures.values() if f.value) >= 10
    # issue #14's figures have units to count (a fifth of the city has one importer)
    more = ("health_food_inspected", "online_offline_consistent", "import_records_complete")
    assert all(figures[code].den > 0 for code in more)
    assert sum(figures[code].num for code in more) > 0
    client.post("/login", data={"username": "admin", "password": "fangxin-admin"})
    page = client.get("/office/")
    assert page.status_code == 200
    five = figures["five_goods"]
    assert "任务指标" in page.text and f"{five.num:.0f} / {five.den:.0f}" in page.text
