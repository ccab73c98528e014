"""Demo activity: the demo city about a year into the campaign, loaded once.

Everything goes through the services the pages use (a draft, its photos, its answers,
submit; the ledger's moves; registrations, coordinators, complaints), so scores, ledger
entries and audit events are the real ones. Only the clock is faked, in one place: see
backdate_inspection(). Random choices come from fixed seeds, so a given day always gives
the same city. What a visit finds is drawn in app.demo_answers; registrations,
coordinators and complaints are in app.demo_registers.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from flask import current_app
from PIL import Image, ImageDraw, ImageFont

from app.core.clock import LOCAL_ZONE, local, local_today
from app.demo.answers import (
    HISTORY_DAYS,
    Unit,
    build_answers,
    draw_failures,
    lasting_failures,
    not_applicable,
    unit_facts,
    untrained,
    visit_fields,
)
from app.demo.registers import has_demo, registration_plans, seed_registers, team_of
from app.demo.samples import seed_samples
from app.due.visits import required_visits, visit_interval
from app.extensions import db
from app.inspections import ledger
from app.inspections.drafts import programme_in_force, save_answers, start_or_resume_draft
from app.inspections.submission import submit
from app.models import Establishment, Inspection, LedgerEntry, Photo, User
from app.models.sample import Sample
from app.photos.service import attach_photo

PROGRAMMES = ("five_goods", "school_canteen", "market", "three_small", "catering")
# The programmes of issue #14, on a seed of their own so the history above stays as it was.
# An online caterer gets both catering (above) and online_food.
MORE_PROGRAMMES = ("food_sales", "health_food", "online_food", "grain", "surveillance_site",
                   "importer")  # fmt: skip
COLLEAGUES = ["马建国", "孙丽", "周涛", "吴静", "郑凯", "冯雪"]
CLERKS = ["店员小王", "店员小李", "负责人助理", "值班经理"]


def demo_start() -> date:
    """The first day of the demo history."""
    return local_today() - timedelta(days=HISTORY_DAYS)


def at_local(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of a local day, as aware UTC."""
    moment = time(rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40, 50)))
    return datetime.combine(day, moment, LOCAL_ZONE).astimezone(UTC)


def workday(day: date) -> date:
    """Saturday and Sunday moved to the Friday before."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


# --- Demo history: the services stamp "now"; a history needs the past -------------------
def backdate_inspection(inspection: Inspection, when: datetime) -> None:
    """Move a just-submitted inspection, and what it did, to the past moment it stands for.

    Demo history only: submit() stamps submitted_at with the real clock and refuses
    deadlines before today, so the demo submits with deadlines counted from today and then
    shifts the inspection, its deadlines, the ledger entries it opened or verified and its
    photos back by the same number of days. Scores, ledger rules and audit are untouched.
    """
    shift = local(when).date() - local_today()
    inspection.started_at = when - timedelta(minutes=25)
    inspection.submitted_at = inspection.updated_at = when
    for answer in inspection.answers:
        if answer.due_date is not None:
            answer.due_date += shift
    for action in db.session.scalars(
        db.select(LedgerEntry).where(LedgerEntry.inspection_id == inspection.id)
    ):
        action.opened_at = when
        action.due_date = action.due_date + shift if action.due_date else None
    verified = db.select(LedgerEntry).where(LedgerEntry.verifying_inspection_id == inspection.id)
    for action in db.session.scalars(verified):
        action.verified_at = when
    for photo in db.session.scalars(db.select(Photo).where(Photo.inspection_id == inspection.id)):
        photo.created_at = when - timedelta(minutes=10)
    if inspection.programme == "market":
        inspection.establishment.risk_assessed_on = local(when).date()


def backdate_move(action: LedgerEntry, when: datetime) -> None:
    """Demo history: the ledger stamps a move with the real clock; put it at its moment."""
    stamp = {"rectified": "rectified_at", "verified": "verified_at", "escalated": "escalated_at"}
    setattr(action, stamp[action.state], when)


def backdate_registry(ests: list[Establishment], start: date, new_units: dict) -> None:
    """Demo history: the registry was loaded before the campaign (new units when they came)."""
    for est in ests:
        day = new_units.get(est.id, start - timedelta(days=30))
        when = datetime.combine(day, time(9), LOCAL_ZONE).astimezone(UTC)
        if est.created_at > when:
            est.created_at = when


# --- Visits -----------------------------------------------------------------------------
@lru_cache(maxsize=4)
def placeholder_photo(variant: int) -> bytes:
    """A plain JPEG standing in for the inspector's photo, marked as a demo."""
    colours = ("#8d6e63", "#607d8b", "#7e8f5a")
    image = Image.new("RGB", (320, 240), colours[variant % len(colours)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline="white", width=4)
    draw.text((62, 100), "DEMO PHOTO", fill="white", font=ImageFont.load_default(size=32))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def inspect(rng: random.Random, unit: Unit, day: date, follow_up: bool = False):
    """One inspection by the unit's team on a past day, through the checklist's own path.

    Returns the inspection and the failures drawn at random (not implied by the fields).
    """
    progress = (day - demo_start()).days / HISTORY_DAYS
    fields = visit_fields(rng, unit, day)
    na = not_applicable(unit.programme, unit.est)
    if fields.get("bright_kitchen_live") is False and not unit.facts["bk_required"]:
        na.add("ct.bk.01")  # a small restaurant without the video: nothing to check
    drawn = [] if follow_up else draw_failures(rng, unit, progress, na)
    drawn += untrained(unit, fields)
    failures = list(dict.fromkeys(lasting_failures(unit, fields, day) + drawn))
    # Every visit looks at what is on the ledger of its checklist: verified if fixed, else
    # escalated (an online caterer's catering entries wait for a catering visit).
    own = {item.id for item in unit.programme.items}
    live = [a for a in ledger.open_entries_for(unit.est) if a.item_id in own]
    checked = [a.id for a in live if a.item_id not in failures]
    unfixed = [a for a in live if a.item_id in failures and a.state != "escalated"]
    draft = start_or_resume_draft(unit.inspector, unit.est, unit.programme.code)
    db.session.flush()
    for item_id in failures:
        if unit.programme.item(item_id).photo_on_fail:
            attach_photo(unit.inspector, unit.est, unit.facts["photo"], kind="item",
                          inspection=draft, item_id=item_id, config=current_app.config)  # fmt: skip
    rep = unit.est.operator if rng.random() < 0.7 else rng.choice(CLERKS)
    people = {"second_inspector": unit.partner, "operator_rep": rep}
    save_answers(draft, build_answers(rng, unit, failures, na), fields, people)
    submit(unit.inspector, draft, checked)
    when = at_local(day, rng)
    backdate_inspection(draft, when)  # committed with the next change
    for action in unfixed:
        ledger.escalate(unit.inspector, action, "复查仍未整改，升级督办")
        backdate_move(action, when)
    return draft, drawn


def follow_entries(rng: random.Random, unit: Unit, inspection: Inspection, drawn, today: date):
    """What happens to the entries a visit opened: a follow-up day, or a ledger move now.

    Only for failures drawn at random: a lasting condition (no card, no video) waits for
    the next routine visit, which escalates it.
    """
    entries = [
        a
        for a in ledger.open_entries_for(unit.est)
        if a.inspection_id == inspection.id and a.item_id in drawn
    ]
    dues = [a.due_date for a in entries if a.due_date]
    if not dues:
        return None
    due, r = max(dues), rng.random()
    if r < 0.6:  # a follow-up inspection by the deadline, now and then a few days late
        late = rng.random() < 0.15
        day = workday(due + timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 5)))
        return day if day < today else None
    moved = due - timedelta(days=rng.randint(0, 4))
    if moved >= today or r >= 0.92:  # not yet, or left open (overdue once past due)
        return None
    for action in entries:
        if action.handling == "stop" and rng.random() < 0.5:
            ledger.escalate(unit.inspector, action, "移交执法机构立案调查")
        elif r < 0.85:
            ledger.verify(unit.inspector, action, None, "现场复核，已整改到位")
        else:
            ledger.rectify(unit.inspector, action, "经营者报告已整改，附整改说明")
        backdate_move(action, at_local(moved, rng))
    db.session.commit()
    return None


def next_gap(rng: random.Random, est: Establishment) -> timedelta:
    """Days to the next routine visit: about what the unit's risk grade asks."""
    interval = visit_interval(required_visits(est.category, est.risk_grade, current_app.config))
    return timedelta(days=min(round(interval.days * rng.uniform(0.75, 1.3)), 340))


def run_unit(rng: random.Random, unit: Unit, start: date, today: date) -> int:
    """A unit's visits from the start of the history to today; returns how many."""
    day, done = start + timedelta(days=rng.randint(0, 200)), 0
    while workday(day) < today:
        inspection, drawn = inspect(rng, unit, workday(day))
        done += 1
        follow = follow_entries(rng, unit, inspection, drawn, today)
        if follow is not None and follow > workday(day):
            inspect(rng, unit, follow, follow_up=True)
            done += 1
        day = next_day(rng, unit, workday(day))
    return done


def next_day(rng: random.Random, unit: Unit, last: date) -> date:
    """The next routine visit; a card issued before it brings it forward (first inspection)."""
    day, card = last + next_gap(rng, unit.est), unit.facts.get("card_on")
    if card is not None and last < card < day:
        day = min(day, card + timedelta(days=rng.randint(10, 50)))
    return day


def make_units(
    rng: random.Random, ests: list[Establishment], start: date, codes=PROGRAMMES
) -> list[Unit]:
    """The units that have one of these programmes (the first that applies), with their team
    and lasting facts. Health centres are checked once they are surveillance sites."""
    programmes = [programme_in_force(code) for code in codes]
    users = {u.username: u for u in db.session.scalars(db.select(User))}
    partners = {"inspector": users["inspector2"], "inspector2": users["inspector"]}
    units = []
    for est in ests:
        programme = next((p for p in programmes if p.applies_to(est.category)), None)
        if programme is None or (est.category == "health_centre" and not est.surveillance_site):
            continue
        lead = team_of(est, users)
        partner = partners.get(lead.username, users["inspector"]).display_name
        if rng.random() < 0.3:
            partner = rng.choice(COLLEAGUES)
        unit = Unit(est, programme, lead, partner)
        unit.facts = unit_facts(rng, unit, start) | {"photo": placeholder_photo(rng.randrange(3))}
        units.append(unit)
    return units


def seed_inspections(ests: list[Establishment], plans: dict, start: date) -> int:
    """Inspections, follow-ups and ledger moves over the history; returns inspections made.

    New "three small" units (card issued lately) are left for their first inspection.
    """
    rng, more_rng = random.Random(20251), random.Random(20252)
    units = make_units(rng, ests, start)
    more = make_units(more_rng, ests, start, MORE_PROGRAMMES)
    skip = {i for i, plan in plans.items() if plan.kind in ("new", "late_first")}
    for unit in units:
        if unit.est.id in plans:
            unit.facts["card_on"] = plans[unit.est.id].issued
    today, total = local_today(), 0
    session = db.session()
    # Each submit commits; one writer loads the demo, so nothing needs reloading after it.
    session.expire_on_commit = False
    if db.engine.dialect.name == "sqlite":  # WAL: a commit need not wait for the disk
        session.connection().exec_driver_sql("PRAGMA synchronous=NORMAL")
    try:
        for group, group_rng in ((units, rng), (more, more_rng)):
            for unit in group:
                never = group_rng.random() < 0.05 and unit.est.id not in plans  # cards: inspected
                if not never and unit.est.id not in skip:
                    total += run_unit(group_rng, unit, start, today)
        db.session.commit()
    finally:
        session.expire_on_commit = True
    return total


def demo_establishments() -> list[Establishment]:
    """The demo establishments (licence DEMO-nnnn), in a fixed order."""
    stmt = db.select(Establishment).where(Establishment.licence_no.like("DEMO-%"))
    return list(db.session.scalars(stmt.order_by(Establishment.licence_no)))


def seed_activity() -> dict[str, int]:
    """Load the demo city's year of activity where it is missing; returns what was added."""
    ests, start = demo_establishments(), demo_start()
    plans = registration_plans(ests, start)
    new_units = {i: p.since for i, p in plans.items() if p.kind in ("new", "late_first")}
    backdate_registry(ests, start, new_units)
    added = seed_registers(ests, plans, start)
    added["inspections"] = 0
    if not has_demo(Inspection, Inspection.establishment_id):
        added["inspections"] = seed_inspections(ests, plans, start)
    added["samples"] = 0 if has_demo(Sample, Sample.establishment_id) else seed_samples(ests)
    db.session.commit()
    return added
