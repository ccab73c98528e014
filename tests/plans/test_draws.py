"""Drawing a plan from the register: share, frozen record, replay, recusal, redraw."""

import pytest
from sqlalchemy import func

from app.extensions import db
from app.models import InspectorConflict, PlanDraw, PlanVisit
from app.plans import draws
from app.plans.eligibility import bad_record_ids


def test_a_d_grade_plan_in_two_streets_draws_the_share_of_the_eligible(city, catering, make_plan):
    plan = make_plan(quota=50)
    draw = draws.run_draw(plan, city.admin)
    db.session.commit()
    eligible = {e["id"] for e in draw.eligible_establishments}
    assert eligible == {u.id for u in catering}  # not the shop, not the closed one
    assert draw.target_count == 4 and len(draw.result) == 4
    assert len(draw.visits) == 4 and {v.due_on for v in draw.visits} == {plan.ends_on}
    assert len(draw.seed) == 32 and draw.method == "efraimidis-spirakis/v1"
    weights = {e["grade"]: e["weight"] for e in draw.eligible_establishments}
    assert weights == {"A": 1, "B": 2, "C": 3, "D": 4}


def test_a_count_plan_and_a_share_round_up(city, catering, make_plan):
    assert draws.run_draw(make_plan(quota_kind="count", quota=3), city.admin).target_count == 3
    assert draws.run_draw(make_plan(quota=10), city.admin).target_count == 1
    assert draws.run_draw(make_plan(quota_kind="count", quota=99), city.admin).target_count == 8


def test_a_bad_record_doubles_the_weight(city, catering, make_plan, make_inspection):
    make_inspection(catering[0], outcome="noncompliant")  # grade A: 1 × 2
    make_inspection(catering[1], outcome="compliant")
    assert bad_record_ids([u.id for u in catering]) == {catering[0].id}
    frozen = {e["id"]: e for e in draws.run_draw(make_plan(), city.admin).eligible_establishments}
    assert frozen[catering[0].id]["bad_record"] and frozen[catering[0].id]["weight"] == 2.0
    assert frozen[catering[1].id]["weight"] == 2.0 and not frozen[catering[1].id]["bad_record"]


def test_the_record_replays_to_the_same_result(city, catering, make_plan):
    draw = draws.run_draw(make_plan(), city.admin, seed="5eed" * 8)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(PlanDraw, draw.id)
    assert draws.replay_draw(stored) == stored.result
    assert draws.replays(stored)
    again = draws.run_draw(make_plan(), city.admin, seed="5eed" * 8)
    assert [r["establishment_id"] for r in again.result] == [
        r["establishment_id"] for r in stored.result
    ]
    stored.result = list(reversed(stored.result))
    assert not draws.replays(stored)


@pytest.mark.parametrize("seed", [f"{n:032x}" for n in range(8)])
def test_recused_inspectors_are_never_drawn_for_their_own_area(
    city, catering, make_plan, crew, seed
):
    north_unit = catering[0]
    db.session.add(
        InspectorConflict(user_id=crew[1].id, establishment_id=north_unit.id, reason="亲属")
    )
    db.session.commit()
    draw = draws.run_draw(make_plan(quota=100), city.admin, seed=seed)
    north, south = {crew[0].id, crew[2].id}, {crew[1].id, crew[3].id}
    for visit in draw.visits:
        pair = {visit.lead_inspector_id, visit.partner_id}
        street = visit.establishment.jurisdiction.top
        assert not pair & (north if street == city.north else south)
        # The north unit's only other candidates: one southern inspector left, no pair.
    assert north_unit.id not in {v.establishment_id for v in draw.visits}
    row = next(r for r in draw.result if r["establishment_id"] == north_unit.id)
    assert row["lead"] is None


def test_a_redraw_needs_a_reason_and_keeps_the_first(city, catering, make_plan):
    plan = make_plan()
    first = draws.run_draw(plan, city.admin)
    db.session.commit()
    with pytest.raises(draws.DrawError, match="必须填写理由"):
        draws.run_draw(plan, city.admin, reason="  ")
    second = draws.run_draw(plan, city.admin, reason="名录有误，更新后重抽")
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert first.superseded and first.superseded_at and not second.superseded
    assert second.reason == "名录有误，更新后重抽" and second.drawn_by_id == city.admin.id
    assert {v.status for v in first.visits} == {"cancelled"}
    assert draws.live_draw(plan) is second
    assert db.session.scalar(db.select(func.count()).select_from(PlanDraw)) == 2
    assert db.session.scalar(
        db.select(func.count()).select_from(PlanVisit).where(PlanVisit.status == "open")
    ) == len(second.visits)


def test_fewer_than_two_inspectors_or_no_units_is_refused(city, catering, make_plan, crew):
    with pytest.raises(draws.DrawError, match="不足 2 名"):
        draws.run_draw(make_plan(inspectors=crew[:1]), city.admin)
    with pytest.raises(draws.DrawError, match="没有符合条件的单位"):
        draws.run_draw(make_plan(categories=["school_canteen"]), city.admin)


def test_the_command_line_draws_and_refuses_a_quiet_redraw(runner, city, catering, make_plan):
    plan = make_plan()
    result = runner.invoke(args=["plans", "draw", str(plan.id), "--by", "admin"])
    assert result.exit_code == 0 and "replays True" in result.output
    again = runner.invoke(args=["plans", "draw", str(plan.id), "--by", "admin"])
    assert again.exit_code == 1 and "必须填写理由" in again.output
    assert runner.invoke(args=["plans", "draw", "999", "--by", "admin"]).exit_code == 1
    assert runner.invoke(args=["plans", "draw", str(plan.id), "--by", "viewer"]).exit_code == 1
