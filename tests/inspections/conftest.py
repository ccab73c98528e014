"""Fixtures for the inspection tests: three submitted inspections, made-up programmes."""

import pytest

from tests.factories import answers_for, make_programme


@pytest.fixture
def several(login, city, make_establishment, make_inspection):
    """Three submitted inspections: north shop basic, north shop compliant, south shop.

    Made through the services; the client is left signed in as the viewer.
    """
    north = make_establishment(name="北店")
    south = make_establishment(name="南店", jurisdiction_id=city.south_c.id)
    make_inspection(north, "five_goods", via="services", answers=answers_for("five_goods"))
    make_inspection(north, "five_goods", via="services")
    make_inspection(south, "five_goods", via="services", inspector=city.other_inspector)
    login(city.viewer)
    return north, south


@pytest.fixture
def general_programme():
    """Build a 'general' programme with some key and general items (ids t.k.NN, t.g.NN)."""

    def make(key_items=1, general_items=10, extra_scoring=""):
        items = [("k", "true", n) for n in range(key_items)]
        items += [("g", "false", n) for n in range(general_items)]
        body = "".join(
            f'\n[[sections.items]]\nid = "t.{p}.{n:02d}"\ntext = "项{p}{n}"\nkey = {k}\n'
            for p, k, n in items
        )
        head = 'code = "t"\ntitle = "测试"\ncategories = ["stall"]\n'
        scoring = f'[scoring]\nrule = "general"\n{extra_scoring}\n'
        return make_programme(head + scoring + '[[sections]]\nid = "s"\ntitle = "部分"\n' + body)

    return make
