"""Taps and submits that race: one open draft each, one submit per draft."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.inspections import drafts as inspections
from app.models import Inspection
from tests.factories import payload_for
from tests.inspections.test_amend import amend_form


def drafts() -> list[Inspection]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Inspection).where(Inspection.status == "draft")))


def test_the_database_refuses_a_second_draft(client, login, city, shop, start, make_inspection):
    login(city.inspector)
    draft = db.session.get(Inspection, start(shop))

    def twin(**over):  # another draft like it, added but not committed
        values = {"inspector": draft.inspector, "status": "draft", "commit": False} | over
        return make_inspection(draft.establishment, draft.programme, **values)

    twin()
    with pytest.raises(IntegrityError, match=r"uq_inspection_one_draft|inspection\.inspector_id"):
        db.session.commit()
    db.session.rollback()
    twin(status="submitted")
    twin(inspector_id=1)
    db.session.commit()  # submitted rows and other inspectors' drafts are not twins


def test_a_second_tap_that_raced_the_first_resumes_its_draft(
    app, client, login, city, shop, start, monkeypatch
):
    login(city.inspector)
    first = start(shop)
    # The racing request looked before the first one committed, so it saw no draft.
    real, calls = inspections.find_draft, []

    def find_draft(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(inspections, "find_draft", find_draft)
    assert start(shop) == first
    assert [d.id for d in drafts()] == [first]


def test_submitting_over_the_api_leaves_the_open_draft_alone(client, login, city, shop, start):
    login(city.inspector)
    draft_id = start(shop)
    response = client.post("/api/v1/inspections", json=payload_for(shop))
    assert response.status_code == 201, response.json
    assert [d.id for d in drafts()] == [draft_id]


def test_amending_while_a_new_draft_is_open(client, submitted, shop, start):
    draft_id = start(shop)
    response = client.post(f"/field/inspections/{submitted.id}/amend", data=amend_form())
    assert response.status_code == 302
    assert [d.id for d in drafts()] == [draft_id]


def test_a_submit_that_lost_the_race_records_nothing_twice(city, submitted):
    from app.inspections.submission import submit
    from app.models import AuditEvent, LedgerEntry

    # The losing request read the row a moment before the first submit committed.
    late = db.session.get(Inspection, submitted.id)
    set_committed_value(late, "status", "draft")
    set_committed_value(late, "submitted_at", None)
    assert submit(city.inspector, late).id == submitted.id
    db.session.expire_all()
    submits = db.select(AuditEvent).where(AuditEvent.action == "submit")
    assert len(db.session.scalars(submits).all()) == 1
    assert len(db.session.scalars(db.select(LedgerEntry)).all()) == 1
