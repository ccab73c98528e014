"""/sw.js and /manifest.webmanifest, served by the app so the worker's scope is the whole site.

The worker's source is app/static/js/sw.js; this route prepends its precache manifest (each
app-shell file with a hash of its content, as workbox-build's injectManifest would write it),
so a deploy that changes a file changes the worker and the phone fetches the new file.
"""

import json
from pathlib import Path

from flask import Response, current_app, url_for
from flask_babel import gettext as _

from app.web.http_caching import static_version
from app.web.pwa import bp

# The app shell: everything the field pages and the offline pages load.
SHELL_FILES = (
    "css/app.css",
    "css/checklist.css",
    "css/photos.css",
    "css/scanner.css",
    "css/offline.css",
    "js/forms.js",
    "js/checklist.js",
    "js/photos.js",
    "js/uploads.js",
    "js/presence.js",
    "js/signature.js",
    "js/scanner.js",
    "js/pwa.js",
    "js/offline-db.js",
    "js/outbox.js",
    "js/offline.js",
    "vendor/jsqr/jsQR.js",
    "vendor/idb/idb.js",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
)


# What the worker itself runs (importScripts), in order.
WORKER_IMPORTS = (
    "vendor/workbox/workbox-core.prod.js",
    "vendor/workbox/workbox-routing.prod.js",
    "vendor/workbox/workbox-strategies.prod.js",
    "vendor/workbox/workbox-precaching.prod.js",
    "vendor/idb/idb.js",
    "js/offline-db.js",
    "js/outbox.js",
)


def precache_manifest() -> list[dict]:
    """[{url, revision}] for the shell files that exist in this deploy.

    The URL is the versioned one the pages use (?v=<hash>), so the worker's copy answers them.
    """
    out = []
    for name in SHELL_FILES:
        revision = static_version(name)
        if revision:
            out.append({"url": url_for("static", filename=name), "revision": revision})
    return out


@bp.get("/sw.js")
def service_worker():
    source = (Path(current_app.static_folder) / "js" / "sw.js").read_text("utf-8")
    settings = {
        "precache": precache_manifest(),
        "static": url_for("static", filename=""),
        "imports": [url_for("static", filename=name) for name in WORKER_IMPORTS],
        "pages": [url_for("field.offline"), url_for("field.scan")],
        "offline": url_for("field.offline"),
    }
    body = f"self.FANGXIN = {json.dumps(settings)};\n{source}"
    response = Response(body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icons = [
        {"src": url_for("static", filename=f"icons/icon-{n}.png"), "sizes": f"{n}x{n}",
         "type": "image/png", "purpose": "any maskable"}
        for n in (192, 512)
    ]  # fmt: skip
    data = {
        "name": _("放心 · 食品安全检查"),
        "short_name": _("放心"),
        "start_url": url_for("field.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "lang": "zh-CN",
        "icons": icons,
    }
    body = json.dumps(data, ensure_ascii=False)
    return Response(body, mimetype="application/manifest+json")
