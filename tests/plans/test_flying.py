"""飞行检查 (issue #13): started from a clue, a drawn pair from outside the area, a working-day
deadline, on the pair's due lists, unseen by the public and by viewers until it is done."""

import re
from datetime import date, timedelta

import pytest

from app.core.clock import local_today
from app.due.visits import due_list
from app.extensions import db
from app.flying import clues
from app.flying import service as flying
from app.inspections.drafts import save_answers, start_or_resume_draft
from app.inspections.submission import submit
from app.models import AuditEvent, Complaint, LedgerEntry, PlanDraw, PlanVisit, Sample
from app.models.plan import FlyingCheck
from app.plans import draws
from tests import factories


@pytest.fixture
def unit(make_establishment):
    """A rural shop in the north street office (covered by inspector and inspector3)."""
    return make_establishment(name="新区放心超市")


@pytest.fixture
def report(city, unit):
    """An accepted 举报 about the unit."""
    row = Complaint(establishment_id=unit.id, text="卖过期牛奶", sender_hash="h", kind="report")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def failing_sample(city, unit):
    row = Sample(
        client_uuid="s-fail-1",
        establishment_id=unit.id,
        product="青菜",
        test_item="organophosphate",
        result="fail",
        tested_on=local_today(),
        recorded_by_id=city.admin.id,
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def overdue_entry(unit):
    row = LedgerEntry(
        establishment_id=unit.id,
        item_id="x1",
        handling="deadline",
        due_date=local_today() - timedelta(days=30),
    )
    db.session.add(row)
    db.session.commit()
    return row


def started(city, source, clue_id, token="t" * 20, reason="群众举报，需核查"):
    check, created = flying.start(
        city.admin, clues.find_clue(source, clue_id), reason, token, working_days=5
    )
    db.session.commit()
    assert created
    return check


def south_ids(city, crew):
    return {city.other_inspector.id, crew[3].id}  # the two who cover 东区 only


def pair_of(check):
    visit = flying.visit_of(check)
    return {visit.lead_inspector_id, visit.partner_id}


def start_page(client, source, clue_id):
    html = client.get(f"/office/flying/new?source={source}&id={clue_id}").get_data(as_text=True)
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


# --- starting from each kind of clue ----------------------------------------------------------


def test_admin_starts_from_a_report_on_its_page(client, login, city, crew, unit, report):
    login(city.admin)
    page = client.get(f"/office/complaints/{report.id}").get_data(as_text=True)
    assert f"/office/flying/new?source=complaint&amp;id={report.id}" in page
    token = start_page(client, "complaint", report.id)
    response = client.post(
        f"/office/flying/new?source=complaint&id={report.id}",
        data={"token": token, "reason": "举报称销售过期牛奶"},
    )
    assert response.status_code == 302
    check = db.session.scalar(db.select(FlyingCheck))
    assert response.headers["Location"].endswith(f"/office/flying/{check.id}")
    assert (check.clue_kind, check.clue_id, check.establishment_id) == (
        "complaint",
        report.id,
        unit.id,
    )
    assert check.plan.kind == "flying" and check.plan.recuse_area_inspector
    draw = check.plan.draws[0]
    assert draws.replays(draw) and len(draw.eligible_establishments) == 1
    assert pair_of(check) == south_ids(city, crew)
    # The clue's page shows the check; the check's page its clue, pair and deadline.
    page = client.get(f"/office/complaints/{report.id}").get_data(as_text=True)
    assert f"/office/flying/{check.id}" in page
    page = client.get(f"/office/flying/{check.id}").get_data(as_text=True)
    assert "举报称销售过期牛奶" in page and check.due_on.isoformat() in page
    assert city.other_inspector.display_name in page
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"create", "draw"} <= actions


def test_a_double_click_starts_one_check(client, login, city, crew, unit, report):
    login(city.admin)
    token = start_page(client, "complaint", report.id)
    url = f"/office/flying/new?source=complaint&id={report.id}"
    for _ in range(2):
        assert client.post(url, data={"token": token, "reason": "r"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == 1
    assert db.session.scalar(db.select(db.func.count(PlanDraw.id))) == 1
    # A new form for the same unit while the first is open: pointed to the open one.
    again = client.post(
        url, data={"token": start_page(client, "complaint", report.id), "reason": "r"}
    )
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == 1


def test_insider_report_is_recorded_as_such(city, crew, unit, report):
    report.insider = True
    db.session.commit()
    assert started(city, "complaint", report.id).clue_kind == "insider"


def test_started_from_a_failing_sample(client, login, city, crew, unit, failing_sample):
    login(city.admin)
    page = client.get("/registers/samples").get_data(as_text=True)
    assert f"source=sample&amp;id={failing_sample.id}" in page
    check = started(city, "sample", failing_sample.id)
    assert (check.clue_kind, check.clue_id) == ("sample", failing_sample.id)
    assert pair_of(check) == south_ids(city, crew)


def test_started_from_an_overdue_ledger_entry(client, login, city, crew, unit, overdue_entry):
    login(city.admin)
    page = client.get(f"/registers/ledger/{overdue_entry.id}").get_data(as_text=True)
    assert f"source=ledger&amp;id={overdue_entry.id}" in page
    check = started(city, "ledger", overdue_entry.id)
    assert (check.clue_kind, check.clue_id) == ("ledger", overdue_entry.id)
    page = client.get(f"/registers/ledger/{overdue_entry.id}").get_data(as_text=True)
    assert f"/office/flying/{check.id}" in page


def test_started_for_a_unit_on_its_own(client, login, city, crew, unit):
    login(city.admin)
    page = client.get(f"/office/establishments/{unit.id}").get_data(as_text=True)
    assert f"source=unit&amp;id={unit.id}" in page
    check = started(city, "unit", unit.id)
    assert (check.clue_kind, check.clue_id) == ("unit", None)


@pytest.mark.parametrize(
    "make_clue",
    [
        lambda c: setattr(c["report"], "decision", "rejected") or ("complaint", c["report"].id),
        lambda c: setattr(c["sample"], "result", "pass") or ("sample", c["sample"].id),
        lambda c: (
            setattr(c["entry"], "due_date", local_today() + timedelta(days=9))
            or ("ledger", c["entry"].id)
        ),
    ],
    ids=["rejected report", "passing sample", "entry not overdue"],
)
def test_what_is_no_clue_starts_nothing(
    client, login, city, crew, report, failing_sample, overdue_entry, make_clue
):
    source, clue_id = make_clue(
        {"report": report, "sample": failing_sample, "entry": overdue_entry}
    )
    db.session.commit()
    login(city.admin)
    page = client.get(f"/office/flying/new?source={source}&id={clue_id}").get_data(as_text=True)
    assert 'name="token"' not in page
    url = f"/office/flying/new?source={source}&id={clue_id}"
    assert client.post(url, data={"token": "x" * 20, "reason": "r"}).status_code == 400
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == 0


def test_a_reason_is_required(client, login, city, crew, unit):
    login(city.admin)
    url = f"/office/flying/new?source=unit&id={unit.id}"
    assert (
        client.post(
            url, data={"token": start_page(client, "unit", unit.id), "reason": " "}
        ).status_code
        == 400
    )
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == 0


# --- recusal and deadline ---------------------------------------------------------------------


def test_the_area_inspectors_are_never_drawn(city, crew, make_establishment):
    for n in range(6):
        est = make_establishment(jurisdiction_id=(city.north_c, city.north_v)[n % 2].id)
        check = started(city, "unit", est.id, token=f"token-{n:016d}")
        assert pair_of(check) == south_ids(city, crew)
        assert not pair_of(check) & {city.inspector.id, crew[2].id}


def test_no_pair_left_after_recusal_starts_nothing(city, unit):
    # Only the city's two inspectors: one covers the unit's area, so no pair is left.
    with pytest.raises(flying.FlyingRefused):
        flying.start(city.admin, clues.find_clue("unit", unit.id), "r", "t" * 20)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == 0


def test_deadline_counts_working_days_across_national_day(city, crew, unit, monkeypatch):
    # Started Tue 2026-09-29: 9-30, (10-01…10-07 off), 10-08, 10-09, the 调休 Saturday 10-10,
    # and Monday 10-12 is the fifth working day.
    assert flying.deadline_for(date(2026, 9, 29), 5).due == date(2026, 10, 12)
    for module in ("app.flying.service", "app.plans.draws"):
        monkeypatch.setattr(f"{module}.local_today", lambda: date(2026, 9, 29))
    check = started(city, "unit", unit.id)
    assert check.due_on == date(2026, 10, 12) == flying.visit_of(check).due_on
    assert check.working_days == 5


# --- the pair's due lists, and who else sees it ----------------------------------------------


def test_on_the_pairs_due_lists_with_partner_and_flying_preselected(
    app, client, login, city, crew, unit, report
):
    check = started(city, "complaint", report.id)
    visit = flying.visit_of(check)
    for me, other in ((visit.lead_inspector, visit.partner), (visit.partner, visit.lead_inspector)):
        rows = {r.establishment_id: r for r in due_list(me, app.config)}
        reason = next(r for r in rows[unit.id].reasons if r.kind == "flying_visit")
        assert reason.detail["partner"] == other.display_name and reason.due_on == check.due_on
    # The area's own inspector has no flying reason for the unit.
    area_rows = {r.establishment_id: r for r in due_list(city.inspector, app.config)}
    kinds = [r.kind for r in area_rows[unit.id].reasons] if unit.id in area_rows else []
    assert "flying_visit" not in kinds
    login(visit.lead_inspector)
    home = client.get("/field/").get_data(as_text=True)
    assert "飞行检查" in home and visit.partner.display_name in home
    page = client.get(f"/field/establishments/{unit.id}").get_data(as_text=True)
    assert 'value="flying" selected' in page


def inspect(check):
    """The lead inspects the unit as a 飞行检查 and submits; returns the inspection."""
    visit = flying.visit_of(check)
    draft = start_or_resume_draft(visit.lead_inspector, check.establishment, "five_goods", "flying")
    db.session.commit()
    assert draft.second_inspector == visit.partner.display_name
    save_answers(draft, factories.answers_for("five_goods", fail=()), None, factories.PEOPLE)
    db.session.commit()
    done = submit(visit.lead_inspector, draft)
    db.session.commit()
    return done


def public_text(client, unit, check):
    pages = [
        client.get("/plans").get_data(as_text=True),
        client.get(f"/q/{unit.qr_token}").get_data(as_text=True),
        client.get("/open/v1/inspections").get_data(as_text=True),
    ]
    assert client.get(f"/plans/{check.plan_id}").status_code == 404
    return "\n".join(pages)


def test_not_public_before_publication_visible_after_approval(
    client, login, city, crew, unit, report
):
    check = started(city, "complaint", report.id)
    assert "飞行检查" not in public_text(client, unit, check)
    inspection = inspect(check)
    assert inspection.inspection_type == "flying"
    assert flying.status_of(check) == "done" and flying.result_of(check).id == inspection.id
    text = public_text(client, unit, check)
    assert "飞行检查" not in text and '"flying"' not in text
    login(city.admin)  # the office's review page approves it (and drops the cached placard)
    data = {"decision": "approve", "note": ""}
    assert client.post(f"/office/inspections/{inspection.id}/review", data=data).status_code == 303
    client.post("/logout")
    placard = client.get(f"/q/{unit.qr_token}").get_data(as_text=True)
    assert "飞行检查" in placard
    feed = client.get("/open/v1/inspections").get_json()
    assert any(r["id"] == inspection.id and r["type"] == "flying" for r in feed["items"])
    assert "飞行检查" not in client.get("/plans").get_data(as_text=True)  # never a plan on /plans


def test_viewers_see_it_once_done(client, login, city, crew, unit, report):
    check = started(city, "complaint", report.id)
    draw = check.plan.draws[0]
    login(city.viewer)
    assert f"/office/flying/{check.id}" not in client.get("/office/flying").get_data(as_text=True)
    for url in (
        f"/office/flying/{check.id}",
        f"/office/plans/{check.plan_id}",
        f"/office/plan-draws/{draw.id}",
    ):
        assert client.get(url).status_code == 404
    assert f"/office/flying/{check.id}" not in client.get(
        f"/office/complaints/{report.id}"
    ).get_data(as_text=True)
    inspect(check)
    assert f"/office/flying/{check.id}" in client.get("/office/flying").get_data(as_text=True)
    assert client.get(f"/office/flying/{check.id}").status_code == 200
    assert client.get(f"/office/plan-draws/{draw.id}").status_code == 200


def test_the_office_plan_list_and_form_leave_flying_plans_alone(client, login, city, crew, unit):
    check = started(city, "unit", unit.id)
    login(city.admin)
    assert check.plan.name not in client.get("/office/plans").get_data(as_text=True)
    assert (
        client.get(f"/office/plans/{check.plan_id}")
        .headers["Location"]
        .endswith(f"/office/flying/{check.id}")
    )
    assert client.get(f"/office/plans/{check.plan_id}/edit").status_code == 404
    assert (
        client.post(f"/office/plans/{check.plan_id}/draw", data={"reason": "x"}).status_code == 404
    )
    assert 'value="flying"' not in client.get("/office/plans/new").get_data(as_text=True)


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        ("admin", 200, 302),
        ("inspector", 403, 403),
        ("other_inspector", 403, 403),
        ("viewer", 403, 403),
    ],
)
def test_only_admins_start(client, login, city, crew, unit, report, role, get_status, post_status):
    login(getattr(city, role))
    url = f"/office/flying/new?source=complaint&id={report.id}"
    assert client.get(url).status_code == get_status
    response = client.post(url, data={"token": "y" * 20, "reason": "r"})
    assert response.status_code == post_status
    assert db.session.scalar(db.select(db.func.count(FlyingCheck.id))) == (role == "admin")


@pytest.mark.parametrize(
    "url",
    [
        "/office/flying/new?source=complaint&id=999999",
        "/office/flying/new?source=bogus&id=1",
        "/office/flying/new?source=unit&id=abc",
        "/office/flying/new?source=unit&id=99999999999999999999",
        "/office/flying/new",
        "/office/flying/999999",
        "/office/flying/99999999999999999999",
    ],
)
def test_bad_ids_are_404(client, login, city, url):
    login(city.admin)
    assert client.get(url).status_code == 404


def test_inspectors_cannot_read_flying_pages(client, login, city, crew, unit):
    check = started(city, "unit", unit.id)
    visit = flying.visit_of(check)
    login(visit.lead_inspector)
    assert client.get("/office/flying").status_code == 403
    assert client.get(f"/office/flying/{check.id}").status_code == 403


def test_visit_table_holds_one_open_visit(city, crew, unit):
    check = started(city, "unit", unit.id)
    visits = list(
        db.session.scalars(db.select(PlanVisit).where(PlanVisit.plan_id == check.plan_id))
    )
    assert [v.status for v in visits] == ["open"]


def test_the_flying_pages_in_english(client, login, city, crew, unit, report):
    check = started(city, "complaint", report.id)
    login(city.admin)
    client.post("/lang/en")
    listing = client.get("/office/flying").get_data(as_text=True)
    assert "Flying inspection #" in listing and "Complaint" in listing
    page = client.get(f"/office/flying/{check.id}").get_data(as_text=True)
    assert "working days" in page and "Inspector pair" in page
    start = client.get(f"/office/flying/new?source=unit&id={unit.id}").get_data(as_text=True)
    assert "Start and draw the inspectors" in start


def test_a_redraw_needs_a_reason_and_keeps_the_first_draw(client, login, city, crew, unit):
    check = started(city, "unit", unit.id)
    first = flying.visit_of(check)
    login(city.admin)
    url = f"/office/flying/{check.id}/redraw"
    assert client.post(url, data={"reason": ""}).status_code == 302
    assert len(check.plan.draws) == 1  # refused without a reason
    assert client.post(url, data={"reason": "主检人员病假"}).status_code == 302
    db.session.expire_all()
    assert [d.number for d in check.plan.draws] == [1, 2] and check.plan.draws[0].superseded
    assert first.status == "cancelled" and flying.status_of(check) == "open"
    second = flying.visit_of(check)
    assert second.due_on == check.due_on and {second.lead_inspector_id, second.partner_id} == (
        south_ids(city, crew)
    )
    login(city.viewer)
    assert client.post(url, data={"reason": "x"}).status_code == 403
