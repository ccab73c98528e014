"""Demo answers: what a visit finds at a demo unit, drawn from fixed seeds.

Part of the demo history (app.demo_activity): a unit's lasting facts (staff, bright kitchen,
market type), the fields and failures of one visit, and answers handled as the rules ask.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.checklists import Programme
from app.core.clock import local_today
from app.demo.registers import registration_live_on
from app.models import Establishment, User
from app.models.establishment import KEY_CATERER_CATEGORIES

HISTORY_DAYS = 450  # about five quarters up to today


@dataclass
class Unit:
    """One establishment's demo story: its team, its lasting facts, its visits."""

    est: Establishment
    programme: Programme
    inspector: User
    partner: str
    facts: dict = field(default_factory=dict)


def not_applicable(programme: Programme, est: Establishment) -> set[str]:
    """Items that do not concern this kind of unit."""
    items = {i.id for i in programme.items}
    if programme.code == "catering" and est.category != "online_caterer":
        return {i for i in items if i.startswith("ct.online.")}
    if programme.code == "three_small" and est.category != "small_workshop":
        return {i for i in items if i.startswith("ts.prod.")} | (
            {"ts.hyg.05"} if est.category == "stall" else set()
        )
    return MORE_NOT_APPLICABLE.get(programme.code, lambda est: set())(est)


# Issue #14's programmes: what a unit does not do, fixed by its id (no draw, so stable).
MORE_NOT_APPLICABLE = {
    # no farm produce on sale in one supermarket of three
    "food_sales": lambda est: {"fs.goods.04"} if est.id % 3 == 0 else set(),
    # platforms only (no website of its own); the bright kitchen online is not required
    "online_food": lambda est: ({"of.platform.02"} if est.id % 4 else set()) | {"of.kitchen.01"},
    # every other grain firm only stores, and few have "好粮油" products
    "grain": lambda est: (
        ({"gr.process.01", "gr.process.02", "gr.process.03"} if est.id % 2 else set())
        | ({"gr.trace.02"} if est.id % 3 else set())
    ),
    # no case needed sampling at half the sites
    "surveillance_site": lambda est: {"ss.sample.01"} if est.id % 2 else set(),
    # no chilled imports at two of three; retail only at every other one
    "importer": lambda est: (
        ({"im.goods.03"} if est.id % 3 else set()) | ({"im.recall.01"} if est.id % 2 else set())
    ),
}


def unit_facts(rng: random.Random, unit: Unit, start: date) -> dict:
    """What stays true of a unit between visits: staff, bright kitchen, market type."""
    est, facts = unit.est, {}
    staff = {"restaurant_large": (20, 60), "central_kitchen": (30, 80), "group_meal": (20, 50),
             "restaurant_medium": (8, 20), "restaurant_small": (2, 8), "online_caterer": (3, 10),
             "school_canteen": (4, 20)}.get(est.category)  # fmt: skip
    if staff:
        facts["staff"] = rng.randint(*staff)
    # The plan requires the bright kitchen of canteens and key caterers only.
    facts["bk_required"] = est.category in (*KEY_CATERER_CATEGORIES, "school_canteen")
    odds = (0.85, 0.12) if facts["bk_required"] else (0.3, 0.2)  # throughout, mid-campaign
    facts["bk_from"] = since(rng, start, *odds)
    facts["yushi_from"] = since(rng, start, 0.8, 0.17)
    if unit.programme.code == "market":
        facts["market"] = {f.id: rng.choice(f.choices).value for f in unit.programme.fields}
    return facts


def since(rng: random.Random, start: date, always: float, later: float) -> date | None:
    """The day something began: before the history, during it, or never (None)."""
    r = rng.random()
    if r < always:
        return start - timedelta(days=365)
    return (
        start + timedelta(days=rng.randint(60, HISTORY_DAYS - 30)) if r < always + later else None
    )


def visit_fields(rng: random.Random, unit: Unit, day: date) -> dict:
    """The structured fields of one visit."""
    facts, values = unit.facts, {}
    for f in unit.programme.fields:
        if f.id == "bright_kitchen_live":
            values[f.id] = facts["bk_from"] is not None and facts["bk_from"] <= day
        elif f.id == "yushi_app_in_use":
            values[f.id] = facts["yushi_from"] is not None and facts["yushi_from"] <= day
        elif f.id == "staff_count":
            values[f.id] = facts["staff"]
        elif f.id == "staff_trained":
            values[f.id] = facts["staff"] - (rng.randint(1, 2) if rng.random() < 0.06 else 0)
        elif f.choices:
            values[f.id] = facts["market"][f.id]
    return values


TRAINING_ITEMS = {"school_canteen": "sc.staff.03", "catering": "ct.staff.03"}  # via the app


def lasting_failures(unit: Unit, fields: dict, day: date) -> list[str]:
    """Failures that last until a fact changes: no video, no app, no card."""
    code, out = unit.programme.code, []
    if fields.get("bright_kitchen_live") is False and unit.facts["bk_required"]:
        out += {"school_canteen": ["sc.bk.01"], "catering": ["ct.bk.01"]}.get(code, [])
    if fields.get("yushi_app_in_use") is False:
        out.append(TRAINING_ITEMS[code])
    if code == "three_small" and not registration_live_on(unit.est, day):
        out.append("ts.reg.01")
    return out


def untrained(unit: Unit, fields: dict) -> list[str]:
    """The training item fails when fewer staff are trained than work there."""
    short = fields.get("staff_trained", 0) < fields.get("staff_count", 0)
    return [TRAINING_ITEMS[unit.programme.code]] if short else []


def draw_failures(rng: random.Random, unit: Unit, progress: float, na: set[str]) -> list[str]:
    """Random failures; fewer as the campaign goes on (progress 0 → 1)."""
    items = [i for i in unit.programme.items if i.id not in na]
    r = rng.random()
    if r < 0.10 - 0.06 * progress:  # a key failure: 不符合
        keys = [i.id for i in items if i.key]
        general = [i.id for i in items if not i.key]
        return [rng.choice(keys), *rng.sample(general, rng.randint(0, 2))]
    if r < 0.42 - 0.22 * progress:  # general failures: 基本符合
        return rng.sample([i.id for i in items if not i.key], rng.randint(1, 3))
    return []


def build_answers(rng: random.Random, unit: Unit, failures: list[str], na: set[str]) -> dict:
    """Answers for every item: failures handled as the rules ask, the rest pass or na."""
    today, answers, first_general = local_today(), {}, True
    for item in unit.programme.items:
        if item.id in na and item.id not in failures:
            answers[item.id] = {"result": "na"}
            continue
        if item.id not in failures:
            answers[item.id] = {"result": "pass"}
            continue
        if item.key:
            handling = rng.choice(("deadline", "deadline", "investigate", "stop"))
        else:
            handling = "deadline" if first_general or rng.random() < 0.5 else "on_spot"
            first_general = False
        days = rng.choice((7, 10, 15, 15, 30))
        due = today + timedelta(days=days) if handling != "on_spot" else None
        note = "现场检查发现问题，已告知经营者" if handling != "on_spot" else "已当场整改"
        answers[item.id] = {"result": "fail", "handling": handling, "due_date": due, "note": note}
    return answers
