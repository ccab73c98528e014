"""Demo rapid tests: each demo market's daily 快检 over the last two weeks (cheap rows)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from app.core import workdays
from app.core.clock import local_today
from app.demo.registers import at_local, team_of
from app.extensions import db
from app.models import Establishment, Sample, User
from app.sampling.record import open_entry

DAYS = 14
PRODUCE = [
    ("韭菜", "pesticide"), ("菠菜", "pesticide"), ("芹菜", "pesticide"), ("小白菜", "pesticide"),
    ("豇豆", "pesticide"), ("黄瓜", "pesticide"), ("猪肉", "clenbuterol"), ("牛肉", "clenbuterol"),
    ("羊肉", "clenbuterol"), ("鸡肉", "vet_drug"), ("鸡蛋", "vet_drug"), ("草鱼", "malachite_green"),
    ("鲤鱼", "vet_drug"), ("水发鱿鱼", "formaldehyde"), ("银耳", "sulfur_dioxide"),
]  # fmt: skip
TESTERS = ["王丽", "李娜", "张敏", "刘洋", "陈静"]
FAIL_SHARE = 0.02  # about one failing sample in fifty
SKIP_SHARE = 0.1  # some working days a market does not test


def market_day(rng: random.Random, market: Establishment, day: date, recorder: User) -> list:
    """One market's tests of a day: 10-20 samples from its stalls."""
    tester = TESTERS[market.id % len(TESTERS)]
    rows = []
    for _ in range(rng.randint(10, 20)):
        product, item = rng.choice(PRODUCE)
        failed = rng.random() < FAIL_SHARE
        when = at_local(day, rng.randint(6, 9))
        rows.append(
            Sample(
                client_uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                establishment_id=market.id,
                stall=f"{rng.randint(1, 60)}号摊",
                product=product,
                test_item=item,
                method="rapid",
                result="fail" if failed else "pass",
                unit="抑制率%" if item == "pesticide" else "",
                value=round(rng.uniform(55, 80) if failed else rng.uniform(2, 40), 1)
                if item == "pesticide"
                else None,
                tested_on=day,
                tested_at=when,
                created_at=when,
                recorded_by_id=recorder.id,
                tester_name=tester,
                has_certificate=rng.random() < 0.7,
                batch_actions="off_sale destroyed" if failed else "",
                action_note="已下架并监督销毁，通知供货商" if failed else "",
            )
        )
    return rows


def seed_samples(ests: list[Establishment], today: date | None = None) -> int:
    """The demo markets' rapid tests on the working days of the last DAYS days."""
    today = today or local_today()
    rng = random.Random(14)
    users = {u.username: u for u in db.session.scalars(db.select(User))}
    added = 0
    for market in (e for e in ests if e.category == "farm_market" and e.active):
        recorder = team_of(market, users)
        rows = []
        for back in range(DAYS - 1, -1, -1):
            day = today - timedelta(days=back)
            if workdays.is_working_day(day) and rng.random() >= SKIP_SHARE:
                rows += market_day(rng, market, day, recorder)
        if rows and not any(s.result == "fail" for s in rows):
            fail(rows[-1])  # every demo market shows one failing batch on its ledger
        added += keep(rows, recorder)
    return added


def fail(sample: Sample) -> None:
    """Make a drawn sample a failing one, taken off sale and destroyed."""
    sample.result, sample.batch_actions = "fail", "off_sale destroyed"
    sample.action_note = "已下架并监督销毁，通知供货商"


def keep(rows: list[Sample], recorder: User) -> int:
    """Add the rows; each failing one opens its ledger entry, dated when it was tested."""
    db.session.add_all(rows)
    db.session.flush()
    for sample in rows:
        if sample.result == "fail":
            open_entry(recorder, sample).opened_at = sample.tested_at
    return len(rows)
