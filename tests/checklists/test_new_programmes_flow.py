"""The programmes of issue #14 on the field pages and through submit, as an inspector uses them."""

import pytest

from app.checklists import get_programme
from app.extensions import db
from app.models import LedgerEntry
from tests.factories import answers_for

# category -> the programmes its field page offers
OFFERED = {
    "supermarket": ["food_sales"],
    "health_food_seller": ["health_food"],
    "online_caterer": ["catering", "online_food"],
    "grain_enterprise": ["grain"],
    "health_centre": ["surveillance_site"],
    "import_food_seller": ["importer"],
}


@pytest.mark.parametrize("category", sorted(OFFERED))
def test_field_page_offers_each_checklist(client, login, city, make_establishment, category):
    est = make_establishment(category=category)
    login(city.inspector)
    html = client.get(f"/field/establishments/{est.id}").get_data(as_text=True)
    assert "暂无检查表" not in html
    for code in OFFERED[category]:
        assert f"/field/establishments/{est.id}/inspect/{code}" in html
        assert get_programme(code).title in html


@pytest.mark.parametrize(
    ("category", "code"),
    [(c, code) for c, codes in sorted(OFFERED.items()) for code in codes if code != "catering"],
)
def test_submit_scores_by_the_general_rule_and_opens_the_ledger(
    city, make_establishment, make_inspection, category, code
):
    est = make_establishment(category=category)
    items = get_programme(code).items
    general = next(i.id for i in items if not i.key and not i.photo_on_fail)  # needs no photo
    inspection = make_inspection(
        est, code, via="services", answers=answers_for(code, fail=[general])
    )
    assert inspection.status == "submitted" and inspection.programme == code
    assert inspection.outcome == "basic"  # one general failure with a written deadline
    assert inspection.checklist_version.version == get_programme(code).version
    found = db.session.scalars(db.select(LedgerEntry).filter_by(inspection_id=inspection.id)).all()
    assert [e.item_id for e in found] == [general]


def test_an_online_caterer_inspected_with_both(city, make_establishment, make_inspection):
    est = make_establishment(category="online_caterer")
    fields = {"bright_kitchen_live": True, "staff_count": 5, "staff_trained": 5}
    answers = answers_for("catering", fail=())
    first = make_inspection(est, "catering", via="services", answers=answers, fields=fields)
    answers = answers_for("online_food", fail=("of.platform.01",))
    second = make_inspection(est, "online_food", via="services", answers=answers)
    assert first.grade == "excellent" and first.outcome == "compliant"
    assert second.outcome == "basic" and second.grade is None  # no quantified grade online
    assert {first.programme, second.programme} == {"catering", "online_food"}
