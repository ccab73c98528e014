"""Damaged or mistyped placard links: recovered when they still name a placard, else the
public "not found" page with the short-code box (never the staff error page)."""

import pytest

from app.registry.codes import format_short_code, normalise_short_code


def follow(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def assert_not_found_page(response, heading="找不到这个二维码"):
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert heading in html and 'name="code"' in html and 'action="/lookup"' in html
    assert 'href="/login"' not in html and 'href="/"' not in html  # no staff sign-in


@pytest.mark.parametrize(
    "path",
    ["/q/%E4%B9%B1%E7%A0%81!!", "/q/abc", "/q/", "/q/abc/def/ghi", "/q/abc/complaint"],
)
def test_junk_links_offer_the_short_code_box(client, city, path):
    assert_not_found_page(client.get(path))


def test_junk_json_link_is_a_json_404(client, city):
    response = client.get("/q/abc.json")
    assert response.status_code == 404 and response.get_json() == {"error": "找不到这个二维码。"}


@pytest.mark.parametrize("tail", ["。", "%E3%80%82", "/", ")", "，谢谢", "abc", "/complaint/x"])
def test_a_token_with_something_glued_on_still_opens_the_page(client, make_establishment, tail):
    est = make_establishment()
    location = follow(client, f"/q/{est.qr_token}{tail}")
    assert location.endswith(f"/q/{est.qr_token}")
    assert client.get(location).status_code == 200


def test_a_full_width_token_opens_the_page(client, make_establishment):
    est = make_establishment()
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in est.qr_token)
    assert follow(client, f"/q/{wide}").endswith(f"/q/{est.qr_token}")


@pytest.mark.parametrize("typed", ["{code}。", "{spaced}．", "{lower}，", " {code} ", "{wide}。"])
def test_a_short_code_with_punctuation_opens_the_page(client, make_establishment, typed):
    est = make_establishment()
    code = est.short_code
    text = typed.format(
        code=code,
        spaced=format_short_code(code),
        lower=code.lower(),
        wide="".join(chr(ord(c) + 0xFEE0) for c in code),
    )
    assert normalise_short_code(text) == code
    location = follow(client, "/lookup", query_string={"code": text})
    assert location.endswith(f"/q/{est.qr_token}")


def test_a_short_code_in_a_placard_link_goes_through_the_lookup(client, make_establishment):
    est = make_establishment()
    lookup = follow(client, f"/q/{est.short_code}。")
    assert lookup.endswith(f"/lookup?code={est.short_code}")  # counted against the limit
    assert follow(client, lookup).endswith(f"/q/{est.qr_token}")


def test_a_mistyped_short_code_says_so(client, city):
    response = client.get("/lookup", query_string={"code": "ABC123。"})
    assert response.status_code == 404
    assert "没有找到这个查询码" in response.get_data(as_text=True)
    assert_not_found_page(client.get("/q/ABC123。"))


def test_the_not_found_page_in_english(client, city):
    client.post("/lang/en")
    response = client.get("/q/junk")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and 'name="code"' in html
    assert "找不到这个二维码" not in html and "QR code" in html
