"""The bench's raw-SQL floor computes what the declared roll-up computes, indicator by indicator
(issue #15): the ratio bench/rollup.py prints compares the same work, working-day rules included."""

import random
from datetime import date, timedelta

from app.extensions import db
from app.indicators import INDICATORS, parse_period
from app.indicators.rollup import make_scope, rollup_all
from app.models import Complaint, Establishment, Sample, User
from app.models.sample import PRODUCE_TEST_ITEMS
from bench.raw_sql import raw_figures
from bench.synthetic import START, build
from tests.indicators.conftest import local


def add_complaints_and_samples(rng: random.Random) -> None:
    """Complaints of both kinds at every step (decided, extended, closed, pending, insider) and
    rapid and laboratory samples on working days and days off."""
    ests = db.session.scalars(db.select(Establishment.id)).all()
    markets = db.session.scalars(
        db.select(Establishment.id).where(Establishment.category == "farm_market")
    ).all()
    user = db.session.scalar(db.select(User).where(User.username == "admin"))
    for _ in range(400):
        created = START + timedelta(days=rng.randint(0, 720), hours=rng.randint(0, 23))
        decided = created + timedelta(days=rng.randint(0, 14)) if rng.random() < 0.7 else None
        closed = (decided or created) + timedelta(days=rng.randint(0, 40))
        db.session.add(
            Complaint(
                establishment_id=rng.choice(ests),
                text="t",
                sender_hash="h",
                kind=rng.choice(["report", "complaint"]),
                created_at=created,
                decided_at=decided,
                decision=rng.choice(["accepted", "rejected", ""]) if decided else "",
                extended_at=created + timedelta(days=3) if rng.random() < 0.2 else None,
                closed_at=closed if rng.random() < 0.7 else None,
                insider=rng.random() < 0.1,
            )
        )
    day0 = date(2024, 9, 20)  # the National Day holiday and its 调休 Sundays around it
    for k in range(600):
        day = day0 + timedelta(days=rng.randint(0, 100))
        db.session.add(
            Sample(
                client_uuid=f"s-{k}",
                establishment_id=rng.choice(markets if rng.random() < 0.8 else ests),
                product="青菜",
                test_item=rng.choice([*PRODUCE_TEST_ITEMS, "other"]),
                method=rng.choice(["rapid", "rapid", "lab"]),
                result=rng.choice(["pass", "pass", "fail"]),
                has_certificate=rng.choice([True, False, None]),
                tested_on=day,
                tested_at=local(day.year, day.month, day.day),
                recorded_by_id=user.id,
            )
        )
    db.session.commit()


def test_raw_floor_equals_rollup(app):
    build(app, 600, 6000, 0, n_tops=5)
    add_complaints_and_samples(random.Random(3))
    for code in ("2024Q3", "2024Q4", "2024"):
        scope = make_scope(parse_period(code))
        figures = rollup_all(scope)
        raw = raw_figures(db.session, scope.period, now=scope.now, today=scope.today)
        # Every indicator has its floor (a new one needs its raw statement in bench.raw_sql).
        assert set(raw) == {ind.code for ind in INDICATORS}
        for ind in INDICATORS:
            live = {k: (v.num, v.den) for k, v in figures[ind.code].items() if k is not None}
            assert raw[ind.code] == live, (code, ind.code)
    for code in (
        "complaints_15_days",
        "produce_pass_rate",
        "ledger_on_time",
        "produce_certificates",
    ):
        assert 0 < figures[code][None].num < figures[code][None].den, code
