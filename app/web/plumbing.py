"""App-wide web plumbing: error pages, template helpers and security headers."""

import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from app.core import labels
from app.core.clock import format_local
from app.core.scope import can_edit, is_field, is_inspector, is_office
from app.core.tabular import csv_file, xlsx_file
from app.extensions import db
from app.models.establishment import CATEGORIES, SCHOOL_TYPES
from app.models.sample import SAMPLED_CATEGORIES
from app.photos.errors import StorageFull
from app.web import deadlines, http_caching, translated
from app.web.forms import jurisdiction_choices
from app.web.locale import aside, clauses, js_messages, long_date, series

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    """Register error handlers, template helpers and response headers."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(500, server_error)
    app.register_error_handler(StorageFull, storage_full)
    app.after_request(security_headers)
    http_caching.init_app(app)  # versioned static URLs, no-store, gzip
    app.jinja_env.filters.update(
        localtime=format_local, series=series, clauses=clauses, aside=aside, long_date=long_date
    )
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["js_messages"] = js_messages
    # Constants, so globals: imported macros see them too (a context processor would not).
    app.jinja_env.globals.update(CATEGORIES=CATEGORIES, SCHOOL_TYPES=SCHOOL_TYPES)
    app.jinja_env.globals.update(
        label=labels.label,
        PROGRAMMES=labels.PROGRAMMES,
        OUTCOMES=labels.OUTCOMES,
        SMILEYS=labels.SMILEYS,
        CATERING_GRADE_LABELS=labels.CATERING_GRADE_LABELS,
        RESULT_LABELS=labels.RESULT_LABELS,
        HANDLING_LABELS=labels.HANDLING_LABELS,
        LEDGER_STATE_LABELS=labels.LEDGER_STATE_LABELS,
        COMPLAINT_STATE_LABELS=labels.COMPLAINT_STATE_LABELS,
        REGISTRATION_STATE_LABELS=labels.REGISTRATION_STATE_LABELS,
        REGISTRATION_KIND_LABELS=labels.REGISTRATION_KIND_LABELS,
        NUMBER_KIND_LABELS=labels.NUMBER_KIND_LABELS,
        ROLE_LABELS=labels.ROLE_LABELS,
        INSPECTION_TYPE_LABELS=labels.INSPECTION_TYPE_LABELS,
        ATTEMPT_REASON_LABELS=labels.ATTEMPT_REASON_LABELS,
        TEST_ITEM_LABELS=labels.TEST_ITEM_LABELS,
        SAMPLE_METHOD_LABELS=labels.SAMPLE_METHOD_LABELS,
        SAMPLE_RESULT_LABELS=labels.SAMPLE_RESULT_LABELS,
        BATCH_ACTION_LABELS=labels.BATCH_ACTION_LABELS,
        SAMPLED_CATEGORIES=SAMPLED_CATEGORIES,
    )
    # Templates ask what the user may do and never test role strings (the sets: core/scope).
    app.jinja_env.globals.update(
        can_edit=can_edit, is_office=is_office, is_field=is_field, is_inspector=is_inspector
    )
    translated.init_app(app)  # checklist texts and audit events in the reader's language
    deadlines.init_app(app)  # due dates, how they are counted, the calendar warning


def wants_json() -> bool:
    """Whether the client asked for JSON (the APIs, resumable uploads, background requests)."""
    json_only = request.path.startswith(("/api/", "/media/uploads"))
    if json_only or request.accept_mimetypes.best == "application/json":
        return True
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def error_page(code: int, message: str):
    """The error page, or a JSON error, in the site's style."""
    if wants_json():
        return {"error": message}, code
    return render_template("errors/error.html", code=code, message=message), code


def http_error(exc: HTTPException):
    messages = {
        400: _("请求有误，请检查后重试。"),
        401: _("登录已过期，请刷新页面并重新登录。"),
        403: _("您没有权限进行此操作。"),
        404: _("找不到该页面或记录。"),
        405: _("不支持该操作。"),
        413: _("上传的文件太大（单个文件不超过 20 MB）。"),
        429: _("操作太频繁，请稍后再试。"),
    }
    code = exc.code or 500
    message = exc.description if code == 429 else messages.get(code, exc.name)
    return error_page(code, message)


def csrf_error(exc: CSRFError):
    return error_page(400, _("页面已过期或来源不明（安全校验失败），请返回刷新后重试。"))


def server_error(exc: HTTPException):
    # Leave the session clean for the next request on this worker.
    db.session.rollback()
    return error_page(500, _("服务器出错了，请稍后重试。"))


def storage_full(exc: StorageFull):
    """A full photo store, wherever it is hit: 507 with a message that says so, never a 500.

    "permanent" tells the phone not to retry as if it were a passing fault. The requests
    that must keep their text (answers, complaint) catch StorageFull in their service.
    """
    db.session.rollback()
    current_app.logger.error("photo store full (%s %s)", request.method, request.path)
    if wants_json():
        return {"error": exc.message, "permanent": True}, 507
    return render_template("errors/error.html", code=507, message=exc.message), 507


def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def paginated(stmt):
    """The page of a query's rows that ?page= asks for, FANGXIN_PAGE_SIZE rows long."""
    from flask import current_app

    from app.web.converters import db_int

    page = max(1, request.args.get("page", 1, type=db_int))  # 2⁶⁴ is page 1, not an overflow
    per_page = current_app.config["FANGXIN_PAGE_SIZE"]
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def filtered_list(template: str, search, filters: dict, **context) -> str:
    """A paged list page: search(current_user, **filters), with the area choices beside it."""
    page = paginated(search(current_user, **filters))
    return render_template(
        template, page=page, filters=filters, jurisdictions=jurisdiction_choices(), **context
    )


def export_format(fmt: str) -> str:
    """The export format a URL asks for; 404 for anything but csv and xlsx."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return fmt


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet(fmt: str, name: str, sheet: str, headers: list[str], rows: Iterable[list]):
    """A register as a CSV (UTF-8 with BOM) or XLSX download named name.fmt, rows streamed."""
    if fmt == "csv":
        return download(csv_file(headers, rows), "text/csv; charset=utf-8", f"{name}.{fmt}")
    return download(xlsx_file({sheet: (headers, rows)}), XLSX, f"{name}.{fmt}")


def download(file: BinaryIO, mimetype: str, filename: str) -> Response:
    """An attachment sent from a rewound file in chunks, closed once sent (or abandoned)."""
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    response = Response(chunks_of(file), mimetype=mimetype)
    response.content_length = size
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def chunks_of(file: BinaryIO, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's bytes in pieces; closes it at the end or when the response is closed."""
    with file:
        while piece := file.read(size):
            yield piece


def allow_photos_in_form(bp: Blueprint, endpoint: str, photos: int) -> None:
    """Let a plain form post to endpoint carry up to photos photos instead of one.

    Over MAX_CONTENT_LENGTH the whole body is refused unread, and the form's text with it;
    with room for several photos the view reads the text and refuses only the photo.
    """

    def roomy_post() -> None:
        if request.method == "POST" and request.endpoint == endpoint:
            per_photo = int(current_app.config["MAX_CONTENT_LENGTH"] or 0)
            request.max_content_length = per_photo * photos or None

    @bp.record_once
    def first_hook(state) -> None:
        # First of the app's before-request hooks: CSRFProtect reads the body in its own.
        state.app.before_request_funcs.setdefault(None, []).insert(0, roomy_post)
