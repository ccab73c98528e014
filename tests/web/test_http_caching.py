"""HTTP caching and compression: versioned static URLs, no-store on private answers, gzip."""

import gzip
import hashlib
import re
from pathlib import Path

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
ASSET = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]{16})"')


def content_hash(app, name: str) -> str:
    return hashlib.sha256((Path(app.static_folder) / name).read_bytes()).hexdigest()[:16]


def test_pages_name_assets_by_content_hash(app, client, login, city, shop, start):
    login(city.inspector)
    page = client.get(f"/field/inspections/{start(shop)}").get_data(as_text=True)
    assets = ASSET.findall(page)
    assert len(assets) >= 6
    for url, version in assets:
        assert version == content_hash(app, url.removeprefix("/static/"))
    assert not re.search(r'(?:href|src)="/static/[^"?]+"', page)  # none left unversioned


def test_a_current_versioned_asset_is_immutable_for_a_year(app, client):
    version = content_hash(app, "css/app.css")
    with client.get(f"/static/css/app.css?v={version}") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Unversioned or an old version (a page from before a deploy): the file, revalidated.
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789abcdef"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert "immutable" not in response.headers.get("Cache-Control", "")


def test_the_worker_precaches_the_urls_the_pages_use(app, client, login, city):
    login(city.inspector)
    page = client.get("/field/offline").get_data(as_text=True)
    worker = client.get("/sw.js").get_data(as_text=True)
    precached = set(re.findall(r'"url": "([^"]+)"', worker))
    used = {f"{url}?v={version}" for url, version in ASSET.findall(page)}
    assert used and used <= precached
    imports = re.search(r'"imports": (\[[^\]]*\])', worker).group(1)
    assert "/static/js/outbox.js?v=" in imports and "/static/js/offline-db.js?v=" in imports
    assert 'data-signature-src="/static/js/signature.js?v=' in page


def test_signed_in_pages_api_and_exports_are_not_stored(client, login, city, submitted):
    login(city.admin)
    for url in (
        "/office/",
        "/field/",
        f"/office/inspections/{submitted.id}",
        "/api/v1/indicators?period=2024Q4",
        "/office/inspections/export.csv",
        "/office/inspections/export.xlsx",
        "/office/establishments/export.xlsx",
    ):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
    client.post("/logout")
    anonymous_api = client.get("/api/v1/indicators?period=2024Q4")
    assert anonymous_api.status_code == 401
    assert "no-store" in anonymous_api.headers["Cache-Control"]


def test_the_public_placard_page_stays_cacheable(client, shop):
    response = client.get(f"/q/{shop.qr_token}", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Content-Encoding"] == "gzip"
    assert shop.name in gzip.decompress(response.get_data()).decode()


def test_html_is_gzipped_for_clients_that_accept_it(client, login, city, shop, start):
    login(city.inspector)
    url = f"/field/inspections/{start(shop)}"
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.get_data())
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert html.decode().count("<fieldset") == plain.get_data(as_text=True).count("<fieldset")
    assert len(packed.get_data()) * 4 < len(html)


def test_api_json_and_static_files_are_gzipped(app, client, login, city, make_establishment):
    for n in range(10):
        make_establishment(name=f"第{n}便民店")
    login(city.inspector)
    offline_set = client.get("/api/v1/field/offline-set", headers=GZIP)
    assert offline_set.headers["Content-Encoding"] == "gzip"
    assert "no-store" in offline_set.headers["Cache-Control"]
    version = content_hash(app, "vendor/jsqr/jsQR.js")
    source = (Path(app.static_folder) / "vendor/jsqr/jsQR.js").read_bytes()
    for _ in range(2):  # compressed once, then from the worker's memory
        with client.get(f"/static/vendor/jsqr/jsQR.js?v={version}", headers=GZIP) as js:
            assert js.headers["Content-Encoding"] == "gzip"
            assert "immutable" in js.headers["Cache-Control"]
            assert gzip.decompress(js.get_data()) == source
            etag = js.headers["ETag"]
    assert etag.startswith('W/"')
    with client.get(
        "/static/vendor/jsqr/jsQR.js", headers={"If-None-Match": etag, **GZIP}
    ) as again:
        assert again.status_code == 304


def test_small_and_binary_answers_are_left_alone(client):
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers
    with client.get("/static/icons/icon-192.png", headers=GZIP) as png:
        assert "Content-Encoding" not in png.headers


def test_gzip_can_be_left_to_the_proxy(app, client, login, city):
    app.config["FANGXIN_GZIP"] = False
    login(city.inspector)
    assert "Content-Encoding" not in client.get("/field/", headers=GZIP).headers
