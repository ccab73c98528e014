"""Bad input never gives a 500: every route of the URL map, fuzzed, as each role and anonymous.

For each rule: its path arguments replaced by fuzzed values (integers past the database's
range, 0, junk, periods such as 0000Q1, unicode, very long strings), the common query
parameters fuzzed, and for POST routes fuzzed form and JSON bodies (CSRF is off in tests).
Any 5xx, or an exception escaping a view, fails the test with the list of what gave it.
"""

import json
import re
import sys
import time
import traceback

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import User
from tests import factories

HUGE = [str(2**31), str(2**63), str(2**64), "9" * 30]
# Path arguments: <int:…> ones only reach a view with digits; the others take any text.
INT_VALUES = ["1", "0", str(2**31), str(2**64)]  # past INTEGER (PostgreSQL) and BIGINT
TEXT_VALUES = ["1", "0", "-1", *HUGE, "abc", "0000Q1", "9999Q4", "2024Q5", "中文街道", "x" * 3000,
               "1.5", "2024-13-45_2024-01-01", "0001-01-01_9999-12-31"]  # fmt: skip
# Query parameters the views read (request.args), and paginate's own.
PARAMS = ("period", "page", "per_page", "street", "jurisdiction", "jurisdiction_id", "q",
          "next", "state", "start", "end", "programme", "outcome", "inspector_id", "category",
          "active", "overdue", "list", "lead", "code", "v")  # fmt: skip
QUERY_VALUES = [str(2**63), "0000Q1", "9999Q4", "a\x00b", "x" * 3000, "//evil.example"]
FORM_VALUES = [str(2**63), "a\x00b", "x" * 3000]
JSON_ROUTES = ("/api/", "/media/uploads", "/field/inspections/<int:insp_id>/draft")
SKIP_POST = ("/logout",)  # signs the client out: the rest would run anonymous


def deep(depth: int):
    return "[" * depth + "]" * depth


def json_bodies(est_id: int) -> list:
    """Fuzzed JSON bodies: wrong shapes, ids past range, deep nesting, the submit mutated."""
    base = factories.payload_for(type("E", (), {"id": est_id})())
    bodies = [deep(100_000), deep(2_000), '{"a":' * 50_000 + "1" + "}" * 50_000, "[]", "null",
              "1e999", '"x"', "{bad json"]  # fmt: skip
    for key in ("establishment_id", "programme", "client_uuid", "answers", "fields",
                "verify_actions", "photos", "presence", "checklist_version", "signature"):  # fmt: skip
        for value in (2**64, -(2**63) - 1, 1.5e308, "a\x00b", [], {"x": [1, 2**70]}, [2**70]):
            bodies.append(json.dumps({**base, key: value}))
    bodies.append(json.dumps({**base, "answers": {k: {"result": 2**64} for k in base["answers"]}}))
    for key in ("length", "offset", "upload", "filename", "taken_at", "latitude", "longitude",
                "inspection_id", "item_id", "answers", "fields"):  # fmt: skip
        for value in (2**64, "x" * 3000, [], {"a": 1}, 1e308):
            bodies.append(json.dumps({key: value}))
    return bodies


def url_for_rule(rule, value: str, fixed: dict) -> str:
    """The rule's path with every argument set to value (or fixed[arg] when given)."""

    def sub(match):
        name = match.group(2)
        return fixed.get(name, value)

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", sub, rule.rule)


@pytest.fixture
def dataset(city, submitted, shop, workshop, make_registration, make_inspection):
    """A little of everything the routes look up: inspections, a draft, a ledger entry."""
    make_inspection(workshop, status="draft")
    make_registration(workshop)
    db.session.commit()
    city.shop = shop
    return city


def restore(users) -> None:
    """Undo what a fuzzed post may have done to the signed-in accounts."""
    for user in users:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(password_hash=factories.FAST_HASH, active=True, must_change_password=False)
        )
    db.session.commit()


class Fuzz:
    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []
        self.count = 0
        self.names: set[str] = set()
        self.spent: dict[str, float] = {}

    def send(self, method: str, url: str, **kw) -> None:
        self.count += 1
        t0 = time.perf_counter()
        try:
            response = self.client.open(url, method=method, **kw)
        except Exception:  # a view's exception: what a 500 would hide
            where = [f for f in traceback.extract_tb(sys.exc_info()[2]) if "/app/" in f.filename]
            spot = f"{where[-1].filename.split('/app/')[-1]}:{where[-1].lineno}" if where else "?"
            last = traceback.format_exc().strip().splitlines()[-1][:160]
            self.failures.append(f"{method} {url[:100]} raised {last} at {spot}")
            db.session.rollback()
            return
        if response.status_code >= 500:
            self.failures.append(f"{method} {url[:120]} -> {response.status_code}")
        if response.mimetype == "text/html" and response.status_code == 200:
            self.names.update(re.findall(r'name="([A-Za-z_][\w-]*)"', response.get_data(True)))
        response.close()
        key = method + " " + re.sub(r"\d+", "N", url.split("?")[0])[:60]
        self.spent[key] = self.spent.get(key, 0) + time.perf_counter() - t0


def rules_of(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    return sorted(rules, key=lambda r: r.rule)


FIXED = {"fmt": "csv", "move": "verify"}


def fuzz_as(app, fuzz: Fuzz, login, who, dataset) -> None:
    """Every rule: fuzzed path arguments, then fuzzed query strings, then fuzzed bodies."""
    users = [dataset.admin, dataset.inspector, dataset.viewer]

    def sign_in():
        restore(users)
        fuzz.client.post("/logout")
        if who is not None:
            assert login(who).status_code == 302

    sign_in()
    rules = rules_of(app)
    for rule in (r for r in rules if "GET" in r.methods):
        for value in INT_VALUES if "<int:" in rule.rule else TEXT_VALUES if rule.arguments else []:
            fuzz.send("GET", url_for_rule(rule, value, {}))
        base = url_for_rule(rule, "1", FIXED)
        drawn = rule.rule.endswith((".png", ".svg", ".xlsx"))  # slow to draw, few parameters
        for value in QUERY_VALUES[:2] if drawn else QUERY_VALUES:
            fuzz.send("GET", base, query_string=dict.fromkeys(PARAMS, value))
        for value in HUGE[1:2]:  # past a valid period, to the parameters read after it
            fuzz.send(
                "GET", base, query_string={**dict.fromkeys(PARAMS, value), "period": "2024Q4"}
            )
    bodies = json_bodies(dataset.shop.id)
    for rule in rules:
        posts = [m for m in ("POST", "PATCH") if m in rule.methods]
        if not posts or rule.rule in SKIP_POST:
            continue
        sign_in()
        urls = [url_for_rule(rule, v, FIXED) for v in ("1", HUGE[1])]
        json_route = rule.rule.startswith(JSON_ROUTES)
        for method in posts:
            for url in urls[: 2 if rule.arguments else 1]:
                for value in FORM_VALUES:
                    form = {name: value for name in fuzz.names if name != "csrf_token"}
                    fuzz.send(method, url, data=form)
            for body in bodies if json_route else bodies[:4]:
                fuzz.send(method, urls[0], data=body, content_type="application/json")


@pytest.mark.parametrize("role", ["admin", "inspector", "viewer", None])
def test_no_route_gives_a_500(app, client, login, dataset, role):
    fuzz = Fuzz(client)
    started = time.monotonic()
    fuzz_as(app, fuzz, login, getattr(dataset, role) if role else None, dataset)
    seconds = time.monotonic() - started
    print(
        role, fuzz.count, f"{seconds:.1f}s", sorted(fuzz.spent.items(), key=lambda kv: -kv[1])[:8]
    )
    kinds = sorted({re.sub(r"[0-9]{5,}|x{100,}|\?.*? raised", "N", f) for f in fuzz.failures})
    assert not fuzz.failures, (
        f"{len(fuzz.failures)} of {fuzz.count} in {seconds:.0f} s:\n" + "\n".join(kinds[:60])
    )
    assert fuzz.count > 1000, (fuzz.count, seconds)


# ---- the clear answers behind "no 500" -------------------------------------------------


def test_ids_past_the_database_range_are_404(client, login, city, shop):
    login(city.admin)
    for url in (f"/office/establishments/{2**63}", f"/media/photos/{2**64}.jpg",
                f"/field/inspections/{2**31}", "/office/establishments/" + "9" * 5000):  # fmt: skip
        assert client.get(url).status_code == 404, url[:60]
    assert client.get(f"/office/establishments/{shop.id}").status_code == 200
    assert client.get(f"/office/inspections?inspector_id={2**64}&page={2**70}").status_code == 200


def test_periods_out_of_range_are_refused_clearly(client, login, city):
    login(city.admin)
    for period in ("0000Q1", "9999Q4", "1989", "2024-01-01_9999-12-31"):
        api = client.get(f"/api/v1/indicators?period={period}")
        assert api.status_code == 400 and "统计期" in api.get_json()["error"], period
        page = client.get(f"/office/dashboard?period={period}").get_data(as_text=True)
        assert "统计期无法识别" in page
        assert client.get(f"/office/reports/{period}").status_code == 404
    assert client.get("/api/v1/indicators?period=1990Q1").status_code == 200  # previous: 1989Q4


def test_deep_or_nul_json_is_a_400_in_chinese(client, login, city, shop):
    login(city.inspector)
    deep_body = client.post(
        "/api/v1/inspections", data=deep(100_000), content_type="application/json"
    )
    assert deep_body.status_code == 400 and "嵌套层数过多" in deep_body.get_json()["error"]
    body = factories.payload_for(shop)
    body["answers"] = {
        "x": {"note": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["1"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    }
    nested = client.post("/api/v1/inspections", json=body)
    assert nested.status_code == 400
    nul = client.post(
        "/api/v1/inspections", json={**factories.payload_for(shop), "programme": "a\x00"}
    )
    assert nul.status_code == 400 and "NUL" in nul.get_json()["error"]
    assert client.post("/api/v1/inspections", json=factories.payload_for(shop)).status_code == 201


def test_a_nul_in_the_url_or_a_form_is_a_400(client, login, city):
    login(city.admin)
    assert client.get("/office/establishments?q=a%00b").status_code == 400
    assert client.post("/office/api-tokens", data={"name": "a\x00b"}).status_code == 400
