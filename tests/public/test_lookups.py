"""The short-code lookup and its rate limit, and code replacement."""

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.registry.codes import format_short_code


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{spaced}", "{dashed}", "{fullwidth}"])
def test_short_code_lookup_opens_the_page(client, make_establishment, typed):
    est = make_establishment()
    code = est.short_code
    variants = {
        "code": code,
        "lower": code.lower(),
        "spaced": format_short_code(code),
        "dashed": f"{code[:4]}-{code[4:]}",
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in code),
    }
    response = client.get("/lookup", query_string={"code": typed.format(**variants)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/q/{est.qr_token}")


def test_unknown_short_code_says_so_and_keeps_the_input(client, city):
    response = client.get("/lookup?code=ABCD2345")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "没有找到这个查询码" in html and 'value="ABCD2345"' in html


def test_lookup_form_without_code(client):
    response = client.get("/lookup")
    assert response.status_code == 200 and 'name="code"' in response.get_data(as_text=True)


def test_lookups_are_rate_limited_per_client(app, client, make_establishment):
    est = make_establishment()
    app.config["FANGXIN_LOOKUPS_PER_MINUTE"] = 30
    for _ in range(30):
        assert client.get("/lookup?code=ZZZZ2345").status_code == 404
    limited = client.get(f"/lookup?code={est.short_code}")
    assert limited.status_code == 429
    assert "查询太频繁" in limited.get_data(as_text=True)
    other = client.get(f"/lookup?code={est.short_code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 303


def test_replacing_a_code_retires_the_old_one(
    client, city, login, make_inspection, make_establishment
):
    est = make_establishment(name="被复制的小店")
    make_inspection(est)
    old_token, old_code = est.qr_token, est.short_code
    login(city.admin)
    response = client.post(f"/office/establishments/{est.id}/replace-code")
    assert response.status_code == 302
    db.session.refresh(est)
    assert est.qr_token != old_token and est.short_code != old_code
    client.post("/logout")

    gone = client.get(f"/q/{old_token}")
    assert gone.status_code == 410
    html = gone.get_data(as_text=True)
    assert "此二维码已停用" in html
    assert (
        "被复制的小店" not in html and "农村食品经营店" not in html and est.short_code not in html
    )
    gone_json = client.get(f"/q/{old_token}.json")
    assert gone_json.status_code == 410 and gone_json.get_json()["replaced"] is True
    assert "被复制" not in gone_json.get_data(as_text=True)
    assert client.get(f"/lookup?code={old_code}").status_code == 410
    assert client.get(f"/q/{est.qr_token}").status_code == 200

    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "replace_code"))
    assert event.user_id == city.admin.id and event.entity_id == est.id
    assert old_token not in str(event.changes)


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("inspector", 403)])
def test_only_admins_replace_codes(client, city, login, make_establishment, who, status):
    est = make_establishment()
    login(getattr(city, who))
    assert client.post(f"/office/establishments/{est.id}/replace-code").status_code == status


def test_behind_a_proxy_limits_count_the_forwarded_address(app, tmp_path):
    from app import create_app
    from tests.conftest import base_config

    url = db.engine.url.render_as_string(hide_password=False)
    proxied = create_app(base_config(url, tmp_path) | {"FANGXIN_TRUSTED_PROXIES": "1"})
    proxied.config["FANGXIN_LOOKUPS_PER_MINUTE"] = 2
    with proxied.app_context():
        http = proxied.test_client()
        for addr, expected in (
            ("1.1.1.1", 404),
            ("1.1.1.1", 404),
            ("1.1.1.1", 429),
            ("2.2.2.2", 404),
        ):
            headers = {"X-Forwarded-For": addr}
            assert http.get("/lookup?code=ZZZZ2345", headers=headers).status_code == expected
        db.session.remove()
        db.engine.dispose()
