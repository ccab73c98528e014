"""Who is due for a visit: the minimum-visits rule and the due list on a hand-built dataset."""

from datetime import UTC, date, datetime

import pytest

from app.due.visits import due_list, required_visits, required_visits_sql
from app.extensions import db
from app.inspections import ledger
from app.models import Establishment
from app.models.establishment import CATEGORIES
from tests.factories import answer

TODAY = date(2024, 6, 10)
JAN = datetime(2024, 1, 1, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "category, grade, expected",
    [
        ("rural_shop", "A", 1),
        ("rural_shop", "B", 2),
        ("rural_shop", "C", 3),
        ("rural_shop", "D", 4),
        ("rural_shop", None, 2),
        ("central_kitchen", "A", 3),
        ("group_meal", None, 3),
        ("group_meal", "D", 4),
    ],
)
def test_required_visits(app, category, grade, expected):
    assert required_visits(category, grade, app.config) == expected


def test_configuration_changes_the_rule(app):
    config = {**app.config, "FANGXIN_UNGRADED_AS": "D", "FANGXIN_PRIORITY_MIN_GRADE": "D"}
    assert required_visits("rural_shop", None, config) == 4
    assert required_visits("central_kitchen", "A", config) == 4


def test_the_sql_version_agrees_with_the_python_rule(app, make_establishment):
    for category in CATEGORIES:
        for grade in ("A", "B", "C", "D", None):
            make_establishment(category=category, risk_grade=grade)
    rows = db.session.execute(
        db.select(Establishment.category, Establishment.risk_grade, required_visits_sql(app.config))
    )
    for category, grade, n in rows:
        assert n == required_visits(category, grade, app.config), (category, grade)


@pytest.fixture
def dataset(city, make_establishment, make_inspection, make_registration):
    """Five units due in the north (see each), one due in the south, one closed, one not due."""
    est = {}

    def add(key, **fields):
        est[key] = make_establishment(name=key, created_at=fields.pop("created_at", JAN), **fields)
        return est[key]

    make_inspection(add("graded_d", risk_grade="D"), when=datetime(2024, 2, 1, 2, tzinfo=UTC))
    b = add("ledger_late", risk_grade="A")
    ledger.open_actions(
        make_inspection(
            b,
            answers={"x1": answer("fail", "deadline", date(2024, 6, 1))},
            when=datetime(2024, 1, 2, tzinfo=UTC),
        )
    )
    make_inspection(
        add("kitchen", category="central_kitchen"), when=datetime(2024, 2, 15, 2, tzinfo=UTC)
    )
    shop = add("new_shop", category="small_shop", created_at=datetime(2024, 4, 20, 2, tzinfo=UTC))
    make_registration(shop, issued_on=date(2024, 5, 1), valid_until=date(2027, 4, 30))
    add(
        "fresh", created_at=datetime(2024, 6, 9, 16, 30, tzinfo=UTC)
    )  # 2024-06-10 00:30 in Shanghai
    make_inspection(add("not_due", risk_grade="A"), when=datetime(2024, 5, 1, tzinfo=UTC))
    add("south", jurisdiction_id=city.south_c.id, risk_grade="D")
    closed = add("closed")
    closed.active = False
    db.session.commit()
    return est


def test_due_list_order_and_reasons(app, city, dataset):
    rows = due_list(city.inspector, app.config, TODAY)
    assert [r.establishment.name for r in rows] == [
        "new_shop",
        "graded_d",
        "ledger_late",
        "fresh",
        "kitchen",
    ]
    got = {r.establishment.name: [(x.kind, x.due_on) for x in r.reasons] for r in rows}
    assert got["new_shop"] == [
        ("never_inspected", date(2024, 4, 20)),
        ("first_inspection", date(2024, 7, 1)),
    ]
    assert got["graded_d"] == [("visit", date(2024, 5, 3))]  # 4 a year: every 92 days
    assert got["ledger_late"] == [("ledger_overdue", date(2024, 6, 1))]
    assert got["fresh"] == [("never_inspected", date(2024, 6, 10))]
    assert got["kitchen"] == [("visit", date(2024, 6, 16))]  # never below C: every 122 days
    assert [r.days_overdue(TODAY) for r in rows] == [51, 38, 9, 0, -6]
    assert rows[0].reasons[0].detail == {"per_year": 2}
    assert rows[2].reasons[0].detail == {"count": 1}


def test_due_list_scope(app, city, dataset):
    assert [r.establishment.name for r in due_list(city.other_inspector, app.config, TODAY)] == [
        "south"
    ]
    admin = [r.establishment.name for r in due_list(city.admin, app.config, TODAY)]
    assert "south" in admin and "closed" not in admin and "not_due" not in admin


def test_a_verified_entry_and_a_visit_take_a_unit_off_the_list(app, city, dataset, make_inspection):
    (entry,) = ledger.open_entries_for(dataset["ledger_late"])
    ledger.verify(city.inspector, entry)
    make_inspection(dataset["graded_d"], when=datetime(2024, 6, 9, tzinfo=UTC))
    names = [r.establishment.name for r in due_list(city.inspector, app.config, TODAY)]
    assert "ledger_late" not in names and "graded_d" not in names


def test_horizon_is_configurable(app, city, dataset):
    app.config["FANGXIN_DUE_HORIZON_DAYS"] = 0
    names = [r.establishment.name for r in due_list(city.inspector, app.config, TODAY)]
    assert names == ["new_shop", "graded_d", "ledger_late", "fresh"]


def test_units_no_checklist_applies_to_are_never_due_for_a_routine_visit(
    app, city, make_establishment, monkeypatch
):
    # Every category has a checklist since issue #14: take two away to see the rule.
    from app.due import visits

    monkeypatch.setattr(visits, "inspected_categories", lambda: ("rural_shop",))
    make_establishment(name="超市", category="supermarket")
    make_establishment(name="卫生服务中心", category="health_centre")
    make_establishment(name="农村小店", category="rural_shop")
    names = [r.establishment.name for r in due_list(city.inspector, app.config)]
    assert names == ["农村小店"]


def test_supermarkets_and_health_centres_are_due_now_they_have_checklists(
    app, city, make_establishment
):
    make_establishment(name="超市", category="supermarket")
    make_establishment(name="卫生服务中心", category="health_centre")
    make_establishment(name="农村小店", category="rural_shop")
    names = {r.establishment.name for r in due_list(city.inspector, app.config)}
    assert names == {"超市", "卫生服务中心", "农村小店"}


def test_due_list_reuses_the_first_inspection_reminders_it_is_given(app, city, dataset):
    from app.due.reminders import awaiting_first_inspection

    def shape(rows):
        return [(r.establishment.id, [(x.kind, x.due_on) for x in r.reasons]) for r in rows]

    awaiting = awaiting_first_inspection(city.inspector, TODAY)
    assert awaiting  # new_shop's card
    given = due_list(city.inspector, app.config, TODAY, awaiting)
    assert shape(given) == shape(due_list(city.inspector, app.config, TODAY))
    assert "first_inspection" not in str(shape(due_list(city.inspector, app.config, TODAY, [])))
