"""Amendments: a new revision with a reason; the old one is kept, superseded and viewable."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Inspection
from tests.factories import form_for


def amend_form(reason="补录：健康证当场出示", **kw):
    return form_for("five_goods", fail=(), extra={"reason": reason}) | kw


def test_inspector_amends_within_seven_days(client, submitted):
    assert "/amend" in client.get(f"/field/inspections/{submitted.id}/sheet").get_data(as_text=True)
    page = client.get(f"/field/inspections/{submitted.id}/amend").get_data(as_text=True)
    assert "修改原因" in page and 'name="r.fg.lic.03" value="fail" checked' in page
    response = client.post(f"/field/inspections/{submitted.id}/amend", data=amend_form())
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(db.select(Inspection).where(Inspection.amends_id == submitted.id))
    assert new.revision == 2 and new.amendment_reason.startswith("补录")
    assert new.client_uuid != submitted.client_uuid
    assert new.outcome == "compliant" and new.five_goods_met is True
    assert new.submitted_at == submitted.submitted_at
    assert new.checklist_version_id == submitted.checklist_version_id
    assert submitted.superseded is True and submitted.outcome == "basic"
    old_sheet = client.get(f"/field/inspections/{submitted.id}/sheet").get_data(as_text=True)
    assert "此为旧版本" in old_sheet and f"/field/inspections/{new.id}/sheet" in old_sheet
    assert client.get(f"/field/inspections/{submitted.id}/amend").status_code == 403


def test_amendment_needs_a_reason_and_keeps_what_was_typed(client, submitted):
    response = client.post(
        f"/field/inspections/{submitted.id}/amend", data=amend_form(reason="", operator_rep="赵六")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "【修改原因】未填写" in page and 'value="赵六"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 1


def test_inspector_cannot_amend_after_seven_days(client, submitted):
    submitted.submitted_at -= timedelta(days=8)
    db.session.commit()
    assert client.get(f"/field/inspections/{submitted.id}/amend").status_code == 403
    assert (
        client.post(f"/field/inspections/{submitted.id}/amend", data=amend_form()).status_code
        == 403
    )


@pytest.mark.parametrize(("who", "status"), [("admin", 302), ("other_inspector", 404)])
def test_who_else_may_amend(client, login, city, submitted, who, status):
    submitted.submitted_at -= timedelta(days=30)
    db.session.commit()
    client.post("/logout")
    login(getattr(city, who))
    response = client.post(f"/field/inspections/{submitted.id}/amend", data=amend_form())
    assert response.status_code == status


def test_amendment_goes_through_the_same_checks_as_a_submit(client, submitted):
    data = form_for("five_goods", handling="on_spot", extra={"reason": "处理方式改为当场整改"})
    response = client.post(f"/field/inspections/{submitted.id}/amend", data=data)
    assert response.status_code == 422
    assert "书面限期整改" in response.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.superseded is False
