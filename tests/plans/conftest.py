"""A D-grade catering plan over both street offices, with four inspectors."""

from datetime import timedelta

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.models import InspectionPlan
from tests import factories


@pytest.fixture
def crew(city):
    """Four field accounts: the city's two inspectors and one more per street."""
    third = factories.make_user("inspector3", "inspector", [city.north])
    fourth = factories.make_user("inspector4", "inspector", [city.south])
    db.session.commit()
    return [city.inspector, city.other_inspector, third, fourth]


@pytest.fixture
def make_plan(city, crew):
    """Factory: a plan for small restaurants in both streets, 50%, all four inspectors."""

    def make(**over):
        values = {
            "name": "2026年度餐饮双随机",
            "kind": "annual",
            "lead_department": "食品经营监管科",
            "starts_on": local_today(),
            "ends_on": local_today() + timedelta(days=60),
            "categories": ["restaurant_small"],
            "quota_kind": "percent",
            "quota": 50,
            "risk_weights": {"A": 1, "B": 2, "C": 3, "D": 4, "": 2},
            "bad_record_factor": 2.0,
        }
        streets = over.pop("jurisdictions", [city.north, city.south])
        inspectors = over.pop("inspectors", crew)
        values.update(over)
        plan = InspectionPlan(**values)
        plan.jurisdictions, plan.inspectors = streets, inspectors
        db.session.add(plan)
        db.session.commit()
        return plan

    return make


@pytest.fixture
def catering(city, make_establishment):
    """Eight small restaurants (four per street, grades A–D), and two units out of scope."""
    units = []
    for area in (city.north_c, city.south_c):
        for grade in "ABCD":
            units.append(
                make_establishment(
                    category="restaurant_small", risk_grade=grade, jurisdiction_id=area.id
                )
            )
    make_establishment(category="rural_shop", jurisdiction_id=city.north_c.id)
    make_establishment(category="restaurant_small", jurisdiction_id=city.north_c.id, active=False)
    return units
