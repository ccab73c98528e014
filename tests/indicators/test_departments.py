"""Every lead department's figures (issue #14) on hand-built data whose numerator and
denominator are known (2024Q3, the period rules of test_figures), and the dashboard
filtered per department (?lead=)."""

from datetime import date

import pytest

from app.core.labels import LEADS_EN, PLAN_CLAUSES_EN
from app.extensions import db
from app.indicators import INDICATORS, get_indicator
from app.indicators.catalogue import LEAD_CODES, LEADS, UNMEASURED
from app.indicators.drill import drill_query
from app.indicators.rollup import Figure, make_scope
from tests.indicators.conftest import local
from tests.indicators.test_figures import Q3, by_top, figures
from tests.indicators.test_pages import data  # noqa: F401  (fixture)
from tests.sampling.helpers import rapid_test


def test_every_department_the_plan_names_as_lead_is_there():
    assert {"农业农村局", "发改委", "生态环境局义马分局"} <= set(LEADS)
    assert set(LEAD_CODES.values()) == set(LEADS) and set(LEADS) <= set(LEADS_EN)
    for ind in INDICATORS:
        assert ind.lead in LEADS and ind.clause in PLAN_CLAUSES_EN
    # every department has a figure, or says why not (the farmland soil of task 二)
    for lead in LEADS:
        assert any(ind.lead == lead for ind in INDICATORS) or UNMEASURED.get(lead), lead
    assert not any(ind.lead == "生态环境局义马分局" for ind in INDICATORS)
    assert {c for c, _t in UNMEASURED["生态环境局义马分局"]} <= set(PLAN_CLAUSES_EN)
    assert get_indicator("grain_inspected").lead == "发改委"
    assert get_indicator("grain_new_harvest_tested").lead == "发改委"
    assert get_indicator("produce_pass_rate").lead == "农业农村局"


def test_grain_enterprises_inspected_in_the_twelve_months(city, at, make_inspection):
    def firm(**kw):
        return at(category="grain_enterprise", **kw)

    a = firm()  # inspected in the quarter
    make_inspection(a, "grain", local(2024, 8, 1))
    b = firm()  # inspected in the first minute of the 12-month window
    make_inspection(b, "grain", local(2023, 10, 1, 0, 0))
    c = firm()  # 13 months before the end: outside the window
    make_inspection(c, "grain", local(2023, 8, 30))
    d = firm()  # only at 00:00 on 1 October: after the period
    make_inspection(d, "grain", local(2024, 10, 1, 0, 0))
    e = firm()  # a draft is no inspection
    make_inspection(e, "grain", local(2024, 8, 1), status="draft")
    f = firm()  # only a superseded revision: its amendment counts
    make_inspection(f, "grain", local(2024, 8, 2), superseded=True)
    make_inspection(f, "grain", local(2024, 8, 3))
    g = firm(closed=local(2024, 8, 15))  # closed in the period: drops out
    make_inspection(g, "grain", local(2024, 8, 1))
    firm(created=local(2024, 10, 5))  # registered after the period: not counted
    firm()  # never inspected: gap
    other = firm(jurisdiction_id=city.south_c.id)
    make_inspection(other, "grain", local(2024, 7, 1, 0, 0))
    at(category="rural_shop")  # not a grain firm: not in the figure

    got = by_top(city, figures("grain_inspected"))
    assert got["north"] == Figure(3, 7)  # a, b, f of a b c d e f + the uninspected one
    assert got["south"] == Figure(1, 1)
    assert got["all"] == Figure(4, 8)
    assert figures("grain_inspected", "DQ")[None] == Figure(1, 1)
    gap = db.session.execute(
        drill_query(get_indicator("grain_inspected"), make_scope(Q3), "gap")
    ).all()
    assert {c.id, d.id, e.id} <= {row.est_id for row in gap}


ANSWERED = [
    ("grain_new_harvest_tested", "grain_enterprise", "grain", "gr.quality.01"),
    ("kitchen_waste_collected", "restaurant_small", "catering", "ct.waste.02"),
]


@pytest.mark.parametrize(("code", "category", "programme", "item"), ANSWERED)
def test_one_item_of_the_latest_inspection(
    city, at, make_inspection, code, category, programme, item
):
    def unit(**kw):
        return at(category=category, **kw)

    def answers(result):
        return {item: {"result": result}, "other.item": {"result": "pass"}}

    a = unit()  # passed in the quarter: counted
    make_inspection(a, programme, local(2024, 8, 1), answers=answers("pass"))
    b = unit()  # passed, then failed on re-inspection: the latest wins
    make_inspection(b, programme, local(2024, 1, 10), answers=answers("pass"))
    make_inspection(b, programme, local(2024, 8, 2), answers=answers("fail"))
    c = unit()  # failed, then passed a minute before the quarter ends: counted
    make_inspection(c, programme, local(2024, 1, 10), answers=answers("fail"))
    make_inspection(c, programme, local(2024, 9, 30, 23, 59), answers=answers("pass"))
    d = unit()  # marked not applicable: not met
    make_inspection(d, programme, local(2024, 8, 1), answers=answers("na"))
    e = unit()  # the item not answered at all: not met
    make_inspection(e, programme, local(2024, 8, 1), answers={"other.item": {"result": "pass"}})
    f = unit()  # passed 13 months before the end: outside the window
    make_inspection(f, programme, local(2023, 8, 30), answers=answers("pass"))
    g = unit()  # passed only after the period
    make_inspection(g, programme, local(2024, 10, 1, 0, 0), answers=answers("pass"))
    h = unit(closed=local(2024, 9, 1))  # closed in the period: drops out
    make_inspection(h, programme, local(2024, 8, 1), answers=answers("pass"))
    k = unit()  # amended: the superseded pass is ignored, the amendment fails
    make_inspection(k, programme, local(2024, 8, 10), superseded=True, answers=answers("pass"))
    make_inspection(k, programme, local(2024, 8, 10), answers=answers("fail"))
    other = unit(jurisdiction_id=city.south_c.id)
    make_inspection(other, programme, local(2024, 7, 1, 0, 0), answers=answers("pass"))

    got = by_top(city, figures(code))
    assert got["north"] == Figure(2, 8)  # a, c of a b c d e f g k
    assert got["south"] == Figure(1, 1)
    assert got["all"] == Figure(3, 9)
    counted = db.session.execute(drill_query(get_indicator(code), make_scope(Q3), "counted")).all()
    assert {row.est_id for row in counted} == {a.id, c.id, other.id}


def test_produce_batches_with_a_compliance_certificate(city, at):
    market = at(category="farm_market")
    shop = at(category="rural_shop", jurisdiction_id=city.south_c.id)

    def sample(est, day, certificate, item="pesticide"):
        row = rapid_test(est, city.inspector, day, item)
        row.has_certificate = certificate
        db.session.add(row)

    sample(market, date(2024, 7, 1), True)  # first day of the period
    sample(market, date(2024, 9, 30), True)  # last day
    sample(market, date(2024, 8, 1), False)
    sample(market, date(2024, 8, 2), None)  # not recorded: counted as without
    sample(market, date(2024, 8, 3), True, "formaldehyde")  # not a produce residue test
    sample(market, date(2024, 6, 30), True)  # before the period
    sample(market, date(2024, 10, 1), False)  # after it
    sample(shop, date(2024, 8, 15), True, "vet_drug")
    db.session.commit()

    got = by_top(city, figures("produce_certificates"))
    assert got["north"] == Figure(2, 4)
    assert got["south"] == Figure(1, 1)
    ind = get_indicator("produce_certificates")
    assert ind.subject == "sample" and ind.lead == "市场监管局"
    gap = db.session.execute(drill_query(ind, make_scope(Q3), "gap")).all()
    assert len(gap) == 2 and {row.est_id for row in gap} == {market.id}


# --- the dashboard per department -----------------------------------------------------------


@pytest.mark.parametrize("code", sorted(LEAD_CODES))
def test_the_dashboard_shows_only_that_departments_cards(client, city, login, data, code):  # noqa: F811
    login(city.viewer)
    lead = LEAD_CODES[code]
    resp = client.get(f"/office/?period=2024Q3&lead={code}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    own = [ind for ind in INDICATORS if ind.lead == lead]
    assert html.count('class="card ind-card') == len(own)
    for ind in INDICATORS:
        assert (ind.title in html) == (ind.lead == lead), ind.code
    assert f'<option value="{code}" selected>' in html
    if own:  # each card links on with the department, so the way back keeps it
        assert f"lead={code}" in html
        page = client.get(f"/office/indicators/{own[0].code}?period=2024Q3&lead={code}")
        assert page.status_code == 200 and f"lead={code}" in page.get_data(as_text=True)
    if lead in UNMEASURED:
        assert "本部门的目标不来自检查数据" in html and "耕地土壤" in html
    else:
        assert "本部门的目标不来自检查数据" not in html


def test_the_ecology_bureau_gets_a_note_not_a_number(client, city, login, data):  # noqa: F811
    login(city.viewer)
    html = client.get("/office/?period=2024Q3&lead=eco").get_data(as_text=True)
    assert "生态环境局义马分局" in html and "总体目标 2" in html
    assert 'class="card ind-card' not in html and "各辖区指标" not in html


def test_the_department_may_be_named_as_the_reports_name_it(client, city, login, data):  # noqa: F811
    login(city.viewer)
    html = client.get("/office/?period=2024Q3&lead=发改委").get_data(as_text=True)
    assert "粮食企业监督检查覆盖率" in html and get_indicator("five_goods").title not in html
    assert '<option value="ndrc" selected>' in html
    everyone = client.get("/office/?period=2024Q3&lead=").get_data(as_text=True)
    assert everyone.count('class="card ind-card') == len(INDICATORS)


@pytest.mark.parametrize("bad", ["nope", "市场", "SAMR", "samr ' or 1=1", "农业"])
def test_an_unknown_department_is_a_400_in_chinese(client, city, login, data, bad):  # noqa: F811
    login(city.viewer)
    for url in (f"/office/?lead={bad}", f"/office/indicators/five_goods?lead={bad}"):
        resp = client.get(url)
        assert resp.status_code == 400, url
        assert "牵头单位无法识别" in resp.get_data(as_text=True)


def test_the_filter_in_english(client, city, login, data):  # noqa: F811
    login(city.viewer)
    client.post("/lang/en")
    html = client.get("/office/?period=2024Q3&lead=agri").get_data(as_text=True)
    assert "Agriculture and Rural Affairs Bureau" in html
    assert "Development and Reform Commission" in html  # an option of the select
    assert "Yima Branch of the Ecology and Environment Bureau" in html
    assert not any(lead in html for lead in LEADS)
    eco = client.get("/office/?period=2024Q3&lead=eco").get_data(as_text=True)
    assert "Overall goal 2" in eco and "not from inspection data" in eco
    resp = client.get("/office/?lead=nope")
    assert resp.status_code == 400 and "lead agency" in resp.get_data(as_text=True)


def test_the_reports_per_department_include_the_new_ones(client, city, login, data):  # noqa: F811
    login(city.viewer)
    listing = client.get("/office/reports").get_data(as_text=True)
    assert "发改委" in listing and "生态环境局义马分局" in listing
    ndrc = client.get("/office/reports/2024Q3?lead=发改委").get_data(as_text=True)
    assert "粮食企业监督检查覆盖率" in ndrc and "本部门的目标不来自检查数据" not in ndrc
    eco = client.get("/office/reports/2024Q3?lead=生态环境局义马分局").get_data(as_text=True)
    assert "本部门的目标不来自检查数据" in eco and "粮食企业" not in eco
    assert client.get("/office/reports/2024Q3.xlsx?lead=生态环境局义马分局").status_code == 200
