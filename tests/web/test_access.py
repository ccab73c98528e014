"""Role rules: admin does everything, inspectors stay in their area, viewers only read."""

import pytest

OFFICE_PAGES = [
    "/office/",
    "/office/establishments",
    "/office/establishments/export.csv",
    "/office/establishments/export.xlsx",
]
ADMIN_PAGES = [
    "/office/establishments/new",
    "/office/establishments/import",
    "/office/users",
    "/office/users/new",
]


@pytest.mark.parametrize("path", OFFICE_PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("viewer", 200), ("inspector", 403), (None, 302)]
)
def test_office_pages(client, city, login, who, status, path):
    if who:
        login(getattr(city, who))
    assert client.get(path).status_code == status


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("viewer", 403), ("inspector", 403)])
def test_admin_pages(client, city, login, who, status, path):
    login(getattr(city, who))
    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("inspector", 200), ("viewer", 403), (None, 302)]
)
def test_field_home(client, city, login, who, status):
    if who:
        login(getattr(city, who))
    assert client.get("/field/").status_code == status


@pytest.mark.parametrize(
    ("who", "north", "south"),
    [("admin", 200, 200), ("inspector", 200, 404), ("other_inspector", 404, 200)],
)
def test_inspectors_see_only_their_jurisdictions(
    client, city, login, make_establishment, who, north, south
):
    in_north = make_establishment(jurisdiction_id=city.north_v.id)
    in_south = make_establishment(jurisdiction_id=city.south_c.id)
    login(getattr(city, who))
    assert client.get(f"/field/establishments/{in_north.id}").status_code == north
    assert client.get(f"/field/establishments/{in_south.id}").status_code == south


def test_inspector_list_holds_only_their_area(client, city, login, make_establishment):
    make_establishment(name="北边小店", jurisdiction_id=city.north_c.id)
    make_establishment(name="南边小店", jurisdiction_id=city.south_c.id)
    login(city.inspector)
    page = client.get("/field/").get_data(as_text=True)
    assert "北边小店" in page
    assert "南边小店" not in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/office/establishments/new"),
        ("post", "/office/establishments/{id}/edit"),
        ("post", "/office/establishments/{id}/close"),
        ("post", "/office/establishments/{id}/reopen"),
        ("post", "/office/establishments/import"),
        ("post", "/office/establishments/import/confirm"),
        ("post", "/office/users/new"),
        ("post", "/office/users/{uid}"),
        ("post", "/office/users/{uid}/password"),
    ],
)
def test_viewer_cannot_change_anything(client, city, login, make_establishment, method, path):
    est = make_establishment()
    login(city.viewer)
    url = path.format(id=est.id, uid=city.inspector.id)
    response = getattr(client, method)(url, data={"name": "x", "reason": "x", "password": "x"})
    assert response.status_code == 403


def test_unknown_establishment_is_404(client, city, login):
    login(city.admin)
    assert client.get("/office/establishments/99999").status_code == 404


def test_error_pages_share_the_site_style(client, city, login):
    login(city.admin)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "找不到该页面或记录" in body
    assert 'class="top"' in body


def test_json_clients_get_json_errors(client, city):
    response = client.get("/no/such", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "找不到该页面或记录。"}


def test_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
