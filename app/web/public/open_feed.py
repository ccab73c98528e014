"""The open feed (/open/v1/…): published results and units as paged JSON, cacheable."""

import math

from flask import current_app, jsonify, request, stream_with_context
from flask_babel import gettext as _

from app.publication import bundle, feed
from app.web.public import bp

MAX_PAGE = 100_000
CACHE = "public, max-age=300"


class BadParam(ValueError):
    """A query parameter out of range; the message is shown as it is."""


def bounded(name: str, default: int, top: int) -> int:
    """A positive whole-number query parameter no larger than top."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 7 or not 1 <= int(text) <= top:
        raise BadParam(_("参数 %(name)s 须为 1 到 %(top)d 之间的整数。", name=name, top=top))
    return int(text)


def paged(count, fetch):
    """The JSON page (400 for bad parameters, 404 past the last page), with ETag and caching."""
    try:
        page = bounded("page", 1, MAX_PAGE)
        per_page = bounded("per_page", feed.DEFAULT_PER_PAGE, feed.MAX_PER_PAGE)
    except BadParam as bad:
        return jsonify(error=str(bad)), 400
    total = count()
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        return jsonify(
            error=_("没有第 %(page)d 页（共 %(pages)d 页）。", page=page, pages=pages)
        ), 404
    body = {"page": page, "per_page": per_page, "pages": pages, "total": total}
    response = jsonify(body | {"items": fetch(page, per_page)})
    response.headers["Cache-Control"] = CACHE
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/open/v1/inspections")
def open_inspections():
    return paged(feed.count_results, feed.results_page)


@bp.route("/open/v1/establishments")
def open_establishments():
    return paged(feed.count_establishments, feed.establishments_page)


@bp.route("/open/v1/lives.zip")
def open_bundle():
    """The LIVES-style CSV bundle, streamed; its ETag from the newest publication."""
    response = current_app.response_class(
        stream_with_context(bundle.stream(current_app.config.get("FANGXIN_CITY_NAME", ""))),
        mimetype="application/zip",
    )
    response.headers["Content-Disposition"] = "attachment; filename=fangxin-lives.zip"
    response.headers["Cache-Control"] = CACHE
    response.set_etag(feed.version())
    return response.make_conditional(request)
