"""Drawn visits in the field: due lists with partner and deadline, the start, the close, the
partner's confirmation and the record sheet."""

from app.due.visits import due_list
from app.extensions import db
from app.models import Inspection
from app.plans import draws


def drawn(city, catering, make_plan, **over):
    draw = draws.run_draw(make_plan(quota_kind="count", quota=2, **over), city.admin, seed="7" * 32)
    db.session.commit()
    return draw


FIELDS = {"bright_kitchen_live": True, "staff_count": 3, "staff_trained": 3}


def submitted(make_inspection, visit):
    """The lead submits the drawn visit's inspection (the catering programme's fields filled)."""
    return make_inspection(
        visit.establishment, via="services", inspector=visit.lead_inspector, fields=FIELDS
    )


def test_drawn_visits_are_on_both_inspectors_due_lists_with_partner_and_deadline(
    app, city, catering, make_plan
):
    draw = drawn(city, catering, make_plan)
    for visit in draw.visits:
        for me, other in (
            (visit.lead_inspector, visit.partner),
            (visit.partner, visit.lead_inspector),
        ):
            rows = {r.establishment_id: r for r in due_list(me, app.config)}
            reason = next(r for r in rows[visit.establishment_id].reasons if r.kind == "plan_visit")
            assert reason.detail["partner"] == other.display_name
            assert reason.due_on == visit.due_on


def test_the_due_page_names_the_partner(app, client, login, city, catering, make_plan):
    visit = drawn(city, catering, make_plan).visits[0]
    login(visit.lead_inspector)
    page = client.get("/field/").get_data(as_text=True)
    assert visit.establishment.name in page and visit.partner.display_name in page
    assert visit.due_on.isoformat() in page


def test_starting_preselects_the_type_and_partner_and_submitting_closes_the_visit(
    app, client, login, city, catering, make_plan, make_inspection
):
    visit = drawn(city, catering, make_plan).visits[0]
    login(visit.lead_inspector)
    page = client.get(f"/field/establishments/{visit.establishment_id}").get_data(as_text=True)
    assert 'value="random" selected' in page
    draft = make_inspection(
        visit.establishment, via="services", inspector=visit.lead_inspector, status="draft"
    )
    assert draft.second_inspector == visit.partner.display_name
    inspection = submitted(make_inspection, visit)
    db.session.refresh(visit)
    assert visit.status == "done" and visit.inspection_id == inspection.id


def test_a_special_plan_preselects_special(app, client, login, city, catering, make_plan):
    visit = drawn(city, catering, make_plan, kind="special").visits[0]
    login(visit.partner)
    page = client.get(f"/field/establishments/{visit.establishment_id}").get_data(as_text=True)
    assert 'value="special" selected' in page


def test_the_partner_confirms_their_part(
    app, client, login, city, catering, make_plan, make_inspection
):
    visit = drawn(city, catering, make_plan).visits[0]
    visit.partner.enforcement_certificate_no = "41120012345"
    db.session.commit()
    submitted(make_inspection, visit)
    url = f"/field/plan-visits/{visit.id}/confirm"
    login(visit.lead_inspector)
    assert "只有本次抽取的第二名检查人员" in client.post(url, follow_redirects=True).get_data(
        as_text=True
    )
    client.post("/logout")
    login(visit.partner)
    home = client.get("/field/").get_data(as_text=True)
    assert "确认参与检查" in home
    client.post(url)
    db.session.refresh(visit)
    assert visit.partner_confirmed_at is not None
    sheet = client.get(f"/field/inspections/{visit.inspection_id}/sheet").get_data(as_text=True)
    assert "41120012345" in sheet and "已确认参与" in sheet
    assert db.session.get(Inspection, visit.inspection_id).status == "submitted"


def test_a_done_visit_outside_the_area_leaves_the_due_list_but_stays_readable(
    app, client, login, city, catering, make_plan, make_inspection
):
    visit = drawn(city, catering, make_plan).visits[0]
    submitted(make_inspection, visit)
    for me in (visit.lead_inspector, visit.partner):
        covered = {j.id for j in me.jurisdictions}
        if visit.establishment.jurisdiction.top.id not in covered:
            assert visit.establishment_id not in {
                r.establishment_id for r in due_list(me, app.config)
            }
    login(visit.lead_inspector)
    assert client.get(f"/field/inspections/{visit.inspection_id}/sheet").status_code == 200
