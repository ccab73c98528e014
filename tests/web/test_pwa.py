"""/sw.js and /manifest.webmanifest: the installable field app, served by the app itself."""

import hashlib
import re
from pathlib import Path


def test_the_worker_covers_the_site_and_precaches_the_shell(client, login, city):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    urls = set(re.findall(r'"url": "([^"]+)"', body))
    paths = {url.split("?")[0] for url in urls}
    for name in ("vendor/jsqr/jsQR.js", "js/offline.js", "js/outbox.js", "css/app.css"):
        assert f"/static/{name}" in paths
    assert "workbox-precaching.prod.js" in body and "//cdn" not in body.lower()
    for url in urls:
        with client.get(url) as static:
            assert static.status_code == 200, url


def test_each_revision_is_the_files_content_hash(app, client):
    body = client.get("/sw.js").get_data(as_text=True)
    found = re.findall(r'"url": "/static/([^"?]+)\?v=([0-9a-f]+)", "revision": "([0-9a-f]+)"', body)
    assert found
    for name, version, revision in found:
        data = (Path(app.static_folder) / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:16] == revision == version


def test_the_manifest_makes_it_installable(client):
    data = client.get("/manifest.webmanifest").get_json(force=True)
    assert data["display"] == "standalone" and data["start_url"] == "/field/"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        with client.get(icon["src"]) as png:
            assert png.mimetype == "image/png"


def test_field_pages_link_the_manifest_and_the_offline_scripts(client, login, city):
    login(city.inspector)
    page = client.get("/field/").get_data(as_text=True)
    assert 'rel="manifest"' in page and "js/pwa.js" in page and "js/outbox.js" in page
    offline = client.get("/field/offline").get_data(as_text=True)
    assert "js/offline.js" in offline and "offline-texts" in offline


def test_office_pages_do_not_install_the_field_app(client, login, city):
    login(city.viewer)
    page = client.get("/office/establishments").get_data(as_text=True)
    assert "js/pwa.js" not in page and 'rel="manifest"' not in page
