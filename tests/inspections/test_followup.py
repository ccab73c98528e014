"""A submit puts failures on the hazard ledger; a follow-up inspection verifies them."""

from datetime import timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.models import Inspection, LedgerEntry
from tests.factories import FAIL_ITEM, form_for, payload_for


def actions():
    db.session.expire_all()
    return list(db.session.scalars(db.select(LedgerEntry).order_by(LedgerEntry.id)))


OTHER = "fg.doc.02"  # a second general item without a photo requirement


def submit_form(client, start, est, handling=None, **form_options):
    """Submit through the HTML flow; with handling, FAIL_ITEM gets it and OTHER a deadline."""
    insp_id = start(est)
    if handling:
        form = form_for("five_goods", fail=(FAIL_ITEM, OTHER))
        form[f"h.{FAIL_ITEM}"] = handling  # 基本符合 still needs one written deadline: OTHER's
    else:
        form = form_for("five_goods", **form_options)
    client.post(f"/field/inspections/{insp_id}", data=form)
    uuid = db.session.get(Inspection, insp_id).client_uuid
    return insp_id, client.post(f"/field/inspections/{insp_id}/submit", data={"client_uuid": uuid})


@pytest.mark.parametrize(
    ("handling", "opens"),
    [("deadline", True), ("investigate", True), ("stop", True), ("on_spot", False)],
)
def test_each_handling_opens_a_ledger_entry_or_not(
    client, login, city, shop, start, handling, opens
):
    login(city.inspector)
    insp_id, response = submit_form(client, start, shop, handling=handling)
    assert response.status_code == 302
    found = {entry.item_id: entry for entry in actions()}
    assert found[OTHER].handling == "deadline"
    assert (FAIL_ITEM in found) is opens
    if opens:
        entry = found[FAIL_ITEM]
        assert (entry.handling, entry.inspection_id, entry.state) == (handling, insp_id, "open")


def test_a_replayed_submit_opens_no_second_entry(client, submitted):
    client.post(
        f"/field/inspections/{submitted.id}/submit", data={"client_uuid": submitted.client_uuid}
    )
    assert len(actions()) == 1


@pytest.fixture
def overdue(client, login, city, submitted):
    """The submitted inspection's ledger entry, its deadline passed yesterday."""
    [entry] = actions()
    entry.due_date = local_today() - timedelta(days=1)
    db.session.commit()
    return entry


def test_follow_up_offers_and_verifies_the_open_entry(client, start, shop, overdue):
    assert "逾期 1 天" in client.get("/field/ledger").get_data(as_text=True)
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods", fail=()))
    review = client.get(f"/field/inspections/{insp_id}/review").get_data(as_text=True)
    assert f'name="verify_action" value="{overdue.id}"' in review
    uuid = db.session.get(Inspection, insp_id).client_uuid
    client.post(
        f"/field/inspections/{insp_id}/submit",
        data={"client_uuid": uuid, "verify_action": str(overdue.id)},
    )
    [entry] = actions()
    assert entry.state == "verified"
    assert entry.verifying_inspection_id == insp_id
    assert entry.verified_by_id is not None
    assert "逾期 1 天" not in client.get("/field/ledger").get_data(as_text=True)


def test_unticked_entries_stay_open(client, start, shop, overdue):
    insp_id = start(shop)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods", fail=()))
    uuid = db.session.get(Inspection, insp_id).client_uuid
    client.post(f"/field/inspections/{insp_id}/submit", data={"client_uuid": uuid})
    assert actions()[0].state == "open"


def test_an_entry_of_another_establishment_cannot_be_verified(
    client, start, overdue, make_establishment
):
    other = make_establishment(name="另一家店")
    insp_id = start(other)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods", fail=()))
    uuid = db.session.get(Inspection, insp_id).client_uuid
    client.post(
        f"/field/inspections/{insp_id}/submit",
        data={"client_uuid": uuid, "verify_action": str(overdue.id)},
    )
    assert actions()[0].state == "open"


def test_the_api_verifies_too(client, shop, overdue):
    body = payload_for(shop, fail=(), verify_actions=[overdue.id])
    response = client.post("/api/v1/inspections", json=body)
    assert response.status_code == 201, response.get_json()
    entry = actions()[0]
    assert entry.state == "verified"
    assert entry.verifying_inspection_id == response.get_json()["id"]
