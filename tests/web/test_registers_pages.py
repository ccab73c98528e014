"""The office and field pages: access, the registration flow, ledger moves, the due list."""

from datetime import date, timedelta

import pytest
from flask import render_template_string

from app.core.clock import local_today
from app.extensions import db
from app.inspections import ledger
from app.models import Coordinator, LedgerEntry, Registration
from app.registry.codes import format_short_code
from tests.factories import APPLICATION, answer


@pytest.fixture
def open_entry(city, make_establishment, make_inspection):
    """An overdue entry in the inspector's area, and one in the other area."""
    yesterday = local_today() - timedelta(days=1)
    north = ledger.open_actions(
        make_inspection(
            make_establishment(name="北店"), answers={"a1": answer("fail", "deadline", yesterday)}
        )
    )[0]
    south_est = make_establishment(name="南店", jurisdiction_id=city.south_c.id)
    south = ledger.open_actions(
        make_inspection(
            south_est,
            answers={"a1": answer("fail", "deadline", yesterday)},
            inspector=city.other_inspector,
        )
    )[0]
    db.session.commit()
    return north, south


@pytest.mark.parametrize(
    "who, path, status",
    [
        ("inspector", "/registers/registrations", 403),
        ("inspector", "/registers/ledger", 403),
        ("inspector", "/registers/coordinators", 403),
        ("viewer", "/registers/registrations", 200),
        ("viewer", "/registers/ledger", 200),
        ("viewer", "/registers/coordinators", 200),
        ("viewer", "/registers/coordinators/new", 403),
        ("viewer", "/field/", 403),
        ("admin", "/registers/coordinators/new", 200),
        ("inspector", "/field/", 200),
        ("inspector", "/field/ledger", 200),
        ("inspector", "/field/establishments?q=x", 200),
        ("admin", "/office/", 200),
    ],
)
def test_page_access(city, login, client, open_entry, who, path, status):
    login(getattr(city, who))
    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    "who, status", [("inspector", 200), ("other_inspector", 404), ("admin", 200)]
)
def test_field_ledger_entry_is_scoped(city, login, client, open_entry, who, status):
    login(getattr(city, who))
    assert client.get(f"/field/ledger/{open_entry[0].id}").status_code == status
    assert client.post(
        f"/field/ledger/{open_entry[0].id}/verify", data={"note": ""}
    ).status_code in (status, 302)


def test_viewer_cannot_change_anything(city, login, client, open_entry):
    login(city.viewer)
    assert (
        client.post(f"/registers/ledger/{open_entry[0].id}/verify", data={"note": ""}).status_code
        == 403
    )
    assert client.post("/registers/coordinators/new", data={"name": "x"}).status_code == 403
    assert db.session.get(LedgerEntry, open_entry[0].id).state == "open"


def test_inspector_verifies_an_overdue_entry_and_it_leaves_the_lists(
    city, login, client, open_entry
):
    north, _south = open_entry
    login(city.inspector)
    home = client.get("/field/").get_data(as_text=True)
    assert "北店" in home and "项挂账逾期" in home and "南店" not in home
    listing = client.get("/field/ledger").get_data(as_text=True)
    assert "北店" in listing and "逾期 1 天" in listing and "南店" not in listing
    resp = client.post(
        f"/field/ledger/{north.id}/verify", data={"note": "复查合格"}, follow_redirects=True
    )
    assert "已复查销号" in resp.get_data(as_text=True)
    db.session.refresh(north)
    assert north.state == "verified" and north.verified_by_id == city.inspector.id
    assert "北店" not in client.get("/field/ledger").get_data(as_text=True)
    assert "项挂账逾期" not in client.get("/field/").get_data(as_text=True)


def test_rectify_needs_a_note_and_illegal_moves_are_refused(city, login, client, open_entry):
    north, _ = open_entry
    login(city.inspector)
    page = client.post(
        f"/field/ledger/{north.id}/rectify", data={"note": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "请填写说明" in page
    client.post(f"/field/ledger/{north.id}/verify", data={"note": ""})
    page = client.post(
        f"/field/ledger/{north.id}/rectify", data={"note": "x"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "不允许" in page
    db.session.refresh(north)
    assert north.state == "verified"


def test_office_ledger_filters(city, login, client, open_entry):
    login(city.admin)
    assert "南店" not in client.get(f"/registers/ledger?jurisdiction_id={city.north.id}").get_data(
        as_text=True
    )
    page = client.get("/registers/ledger?overdue=1").get_data(as_text=True)
    assert "北店" in page and "南店" in page
    assert "北店" not in client.get("/registers/ledger?state=verified").get_data(as_text=True)


def test_registration_flow_through_the_office_pages(city, login, client, make_establishment):
    est = make_establishment(category="small_workshop", name="老王馒头坊")
    login(city.admin)
    assert "老王馒头坊" in client.get("/registers/registrations").get_data(as_text=True)
    missing = client.post(
        f"/registers/establishments/{est.id}/registration/new",
        data={**APPLICATION, "process_flow": "", "safety_pledge": ""},
    )
    text = missing.get_data(as_text=True)
    assert (
        "须说明生产加工工艺流程" in text
        and "须签署食品安全承诺书" in text
        and "13800000000" in text
    )
    resp = client.post(f"/registers/establishments/{est.id}/registration/new", data=APPLICATION)
    reg = db.session.scalar(db.select(Registration))
    assert resp.headers["Location"].endswith(f"/registers/registrations/{reg.id}")
    client.post(f"/registers/registrations/{reg.id}/approve", data={"on": "2024-02-29"})
    page = client.post(
        f"/registers/registrations/{reg.id}/approve",
        data={"on": "2024-03-02"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "豫义食坊登字〔2024〕第0001号" in page
    db.session.refresh(reg)
    assert reg.valid_until == date(2027, 3, 1)
    card = client.get(f"/registers/registrations/{reg.id}/card").get_data(as_text=True)
    assert "食品小作坊登记证" in card and "2027年03月01日" in card and "老王馒头坊" in card
    client.post(
        f"/registers/registrations/{reg.id}/amend",
        data={
            "operator": "王六",
            "address": "千秋路1号",
            "products": "馒头",
            "reason": "经营者变更",
        },
    )
    page = client.get(f"/registers/registrations/{reg.id}").get_data(as_text=True)
    assert "经营者变更" in page and "王六" in page
    resp = client.post(f"/registers/registrations/{reg.id}/renew", data={"on": "2027-02-01"})
    new = db.session.scalar(db.select(Registration).where(Registration.replaces_id == reg.id))
    assert resp.headers["Location"].endswith(f"/registers/registrations/{new.id}")
    client.post(
        f"/registers/registrations/{new.id}/cancel", data={"on": "2028-01-01", "reason": ""}
    )
    db.session.refresh(new)
    assert new.state == "issued"
    client.post(
        f"/registers/registrations/{new.id}/cancel", data={"on": "2028-01-01", "reason": "歇业"}
    )
    db.session.refresh(new)
    assert new.state == "cancelled"


def test_registration_pages_are_scoped_for_out_of_area_users(
    city, login, client, make_establishment, make_registration
):
    reg = make_registration(
        make_establishment(category="stall", jurisdiction_id=city.south_c.id),
        number="豫义摊点备字〔2024〕第0001号",
    )
    db.session.commit()
    login(city.viewer)
    card = client.get(f"/registers/registrations/{reg.id}/card").get_data(as_text=True)
    assert "食品小摊点备案卡" in card and "经营区域" in card
    assert client.get("/registers/registrations/999").status_code == 404


def test_coordinator_pages(city, login, client):
    login(city.admin)
    page = client.get("/registers/coordinators").get_data(as_text=True)
    assert "石河村" in page and "苗村" in page
    bad = client.post(
        "/registers/coordinators/new",
        data={
            "name": "李四",
            "village_id": city.north_v.id,
            "start_on": "2024-05-01",
            "end_on": "2024-04-01",
        },
    )
    assert "离任日期不能早于上任日期" in bad.get_data(as_text=True)
    client.post(
        "/registers/coordinators/new",
        data={
            "name": "李四",
            "phone": "139",
            "village_id": city.north_v.id,
            "start_on": "2024-01-01",
        },
    )
    coordinator = db.session.scalar(db.select(Coordinator))
    assert coordinator.name == "李四"
    page = client.get("/registers/coordinators").get_data(as_text=True)
    assert "没有在任协管员的行政村" in page and page.count("苗村") == 1
    client.post(
        f"/registers/coordinators/{coordinator.id}/edit",
        data={
            "name": "李四",
            "phone": "139",
            "village_id": city.north_v.id,
            "start_on": "2024-01-01",
            "end_on": "2024-02-01",
        },
    )
    db.session.refresh(coordinator)
    assert coordinator.end_on == date(2024, 2, 1)


def test_reminders_on_the_office_home(city, login, client, make_establishment, make_registration):
    est = make_establishment(category="small_shop", name="将到期小店")
    make_registration(
        est,
        issued_on=local_today() - timedelta(days=1000),
        valid_until=local_today() + timedelta(days=5),
    )
    db.session.commit()
    login(city.admin)
    page = client.get("/office/").get_data(as_text=True)
    assert "30 天内到期的登记证" in page and "将到期小店" in page and "还有 5 天" in page


def test_verify_partial_renders_checkboxes(city, open_entry, app):
    north, _ = open_entry
    with app.test_request_context():
        html = render_template_string(
            '{% include "registers/_verify_entries.html" %}', entries=[north]
        )
        assert f'name="verify_action" value="{north.id}"' in html
        assert (
            render_template_string(
                '{% include "registers/_verify_entries.html" %}', entries=[]
            ).strip()
            == ""
        )


def test_establishment_pages_show_the_panel(city, login, client, open_entry):
    login(city.inspector)
    page = client.get(f"/field/establishments/{open_entry[0].establishment_id}").get_data(
        as_text=True
    )
    assert "未销号挂账" in page and f"/field/ledger/{open_entry[0].id}" in page


def test_reminders_on_the_inspectors_home(
    city, login, client, make_establishment, make_registration
):
    """Both lists on the inspector's own home, for their area only, overdue first inspections marked."""
    soon = make_establishment(category="small_shop", name="将到期小店")
    make_registration(
        soon,
        issued_on=local_today() - timedelta(days=1000),
        valid_until=local_today() + timedelta(days=5),
    )
    new = make_establishment(category="small_workshop", name="新发证作坊")
    make_registration(
        new,
        issued_on=local_today() - timedelta(days=400),
        valid_until=local_today() + timedelta(days=700),
    )
    elsewhere = make_establishment(
        category="small_workshop", name="外区作坊", jurisdiction_id=city.south_c.id
    )
    make_registration(
        elsewhere,
        issued_on=local_today() - timedelta(days=10),
        valid_until=local_today() + timedelta(days=1000),
    )
    db.session.commit()
    login(city.inspector)
    page = client.get("/field/").get_data(as_text=True)
    assert "30 天内到期的登记证" in page and "将到期小店" in page and "还有 5 天" in page
    assert "发证后待首次检查" in page and "新发证作坊" in page and "已超期" in page
    assert "外区作坊" not in page
    assert f'href="/field/establishments/{new.id}"' in page, (
        "an inspector goes to the unit, not the register"
    )


@pytest.mark.parametrize(
    "query", ["石河", "新华路", "spaced short code", "full-width short code"], ids=str
)
def test_inspector_finds_a_unit_by_name_address_or_placard_code(
    city, login, client, make_establishment, query
):
    shop = make_establishment(name="石河村便民店", address="新华路8号")
    make_establishment(name="石河外区店", address="新华路9号", jurisdiction_id=city.south_c.id)
    make_establishment(name="别的店", address="别处")
    typed = {
        "spaced short code": format_short_code(shop.short_code),
        "full-width short code": shop.short_code.translate(FULL_WIDTH),  # a Chinese IME
    }.get(query, query)
    login(city.inspector)
    page = client.get("/field/establishments", query_string={"q": typed}).get_data(as_text=True)
    assert "石河村便民店" in page
    assert "别的店" not in page and "石河外区店" not in page, "only matches in the inspector's area"


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
