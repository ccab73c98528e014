"""HTTP caching and compression: versioned static URLs, no-store for private answers, gzip.

- Static assets: ``url_for('static', filename=...)`` appends ``?v=<content hash>`` (hashed once
  at start-up), and a request carrying the current hash is answered ``immutable`` for a year,
  so a page no longer revalidates its assets; a deploy that changes a file changes its URL.
- Signed-in pages, the API and downloads: ``Cache-Control: private, no-store`` unless the
  view chose otherwise (photos by hash, the public pages, /sw.js).
- Text answers (HTML, JSON, CSS, JS, SVG) gzip-compressed when the client accepts it;
  ``FANGXIN_GZIP = False`` leaves it to a proxy in front.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Flask, current_app, request
from flask_login import current_user

ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
PRIVATE = "private, no-store"
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
}
MIN_GZIP_BYTES = 500
STATIC_GZIP_ENTRIES = 256


class StaticVersions:
    """The content hash of each file under the static folder, computed once."""

    def __init__(self, root: Path, recheck: bool = False):
        self.root = root
        self.recheck = recheck  # debug: follow edits to the files while the server runs
        self.known: dict[str, tuple[int, str]] = {}
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    self.get(path.relative_to(root).as_posix())

    def get(self, filename: str) -> str | None:
        """The file's version (16 hex digits of its SHA-256), or None for no such file."""
        hit = self.known.get(filename)
        if hit is not None and not self.recheck:
            return hit[1]
        path = self.root / filename
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(self.root.resolve()) or not resolved.is_file():
                return None
            mtime = resolved.stat().st_mtime_ns
        except (OSError, ValueError):
            return None
        if hit is None or hit[0] != mtime:
            hit = (mtime, hashlib.sha256(resolved.read_bytes()).hexdigest()[:16])
            self.known[filename] = hit
        return hit[1]


def init_app(app: Flask) -> None:
    """Version static URLs and add the caching and compression headers to every answer."""
    versions = StaticVersions(Path(app.static_folder or ""), recheck=app.debug)
    app.extensions["fangxin_static_versions"] = versions

    @app.url_defaults
    def version_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = versions.get(values["filename"])
            if version:
                values["v"] = version

    app.extensions["fangxin_static_gzip"] = {}
    # After-request hooks run last-registered first: headers, then compression.
    app.after_request(compress)
    app.after_request(cache_headers)


def static_version(filename: str) -> str | None:
    """The current version of a static file (what url_for puts in ?v=)."""
    return current_app.extensions["fangxin_static_versions"].get(filename)


def cache_headers(response):
    """Immutable for current versioned assets; private, no-store for what is personal."""
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        wanted = request.args.get("v")
        if wanted and response.status_code in (200, 304) and wanted == static_version(filename):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
    disposition = response.headers.get("Content-Disposition", "")
    if disposition.startswith("attachment"):
        if "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = PRIVATE
        return response
    if "Cache-Control" in response.headers:
        return response  # the view decided (photos by hash, public pages, the worker)
    if request.path.startswith("/api/") or current_user.is_authenticated:
        response.headers["Cache-Control"] = PRIVATE
    return response


def compress(response):
    """gzip a text answer for a client that accepts it; streamed answers are left alone."""
    if not current_app.config.get("FANGXIN_GZIP", True):
        return response
    if response.mimetype not in COMPRESSIBLE or response.status_code != 200:
        return response
    response.vary.add("Accept-Encoding")
    if "Content-Encoding" in response.headers or not request.accept_encodings["gzip"]:
        return response
    if response.is_streamed and not response.direct_passthrough:
        return response  # a generator (a streamed export): compressing would buffer it whole
    if response.content_length is not None and response.content_length < MIN_GZIP_BYTES:
        return response
    body = gzipped_static(response) if request.endpoint == "static" else None
    if body is None:
        response.direct_passthrough = False
        data = response.get_data()
        if len(data) < MIN_GZIP_BYTES:
            return response
        body = gzip.compress(data, compresslevel=6, mtime=0)
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # another representation of the same content
    return response


def gzipped_static(response) -> bytes | None:
    """A static file's gzip bytes, compressed once per file version and worker."""
    filename = (request.view_args or {}).get("filename", "")
    version = static_version(filename)
    if not version:
        return None
    cache = current_app.extensions["fangxin_static_gzip"]
    key = (filename, version)
    if key not in cache:
        response.direct_passthrough = False
        data = response.get_data()
        if len(cache) >= STATIC_GZIP_ENTRIES:
            cache.clear()
        cache[key] = gzip.compress(data, compresslevel=9, mtime=0)
    else:
        close = getattr(response.response, "close", None)
        if close is not None:
            close()  # the file send_file opened is not read
    return cache[key]
