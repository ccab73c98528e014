"""Bad input at the edge: ids the database cannot hold, and JSON too deep or too large.

- ``<int:…>`` in every URL rule is bounded to the range of an INTEGER column, so an id such
  as 2⁶⁴ is a 404 (not an overflow in SQLite or PostgreSQL, which gave a 500).
- ``db_int`` does the same for ids read from the query string, a form or a JSON body.
- JSON bodies nested deeper than ``MAX_JSON_DEPTH`` or longer than FANGXIN_JSON_MAX_BYTES
  are refused with a 400 and a clear message (the parser's RecursionError was a 500).
- A NUL character in the URL, a form or a JSON body is a 400 (PostgreSQL refuses it).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite's are wider, so this bound holds for both
MAX_JSON_DEPTH = 32
JSON_MAX_BYTES = 5 * 1024 * 1024


class RowIdConverter(IntegerConverter):
    """``<int:…>``: a non-negative integer an INTEGER column can hold, else no such page."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        if len(value) > len(str(DB_INT_MAX)):
            raise ValidationError()  # before int(): thousands of digits are slow to convert
        return super().to_python(value)


def db_int(value) -> int:
    """An id from a request (``type=db_int``): ValueError unless the database can hold it."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"not an id: {value!r}")
    if isinstance(value, str) and len(value.strip()) > len(str(DB_INT_MAX)) + 1:
        raise ValueError("id too long")
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(f"id out of range: {number}")
    return number


def db_id_or_none(value) -> int | None:
    """An id the database can hold, or None for anything else (junk, floats, 2⁶⁴)."""
    try:
        return db_int(value)
    except (TypeError, ValueError):
        return None


def json_object() -> dict:
    """The request's JSON body when it is an object; {} for none, junk or another shape."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


class InputRefused(BadRequest):
    """Input the app will not read: JSON nested too deep or too large, a NUL character."""


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing bodies too deep or too large before they cost a 500."""

    def loads(self, s, **kwargs):
        limit = int(current_app.config.get("FANGXIN_JSON_MAX_BYTES") or JSON_MAX_BYTES)
        if len(s) > limit:
            raise InputRefused(_("请求内容太大（不超过 %(mb)d MB）。", mb=max(1, limit // 2**20)))
        if (r"\u0000" if isinstance(s, str) else rb"\u0000") in s:
            raise InputRefused(_("请求中含有无效字符（NUL），请删除后重试。"))
        try:
            data = super().loads(s, **kwargs)
        except RecursionError:
            data = None
        else:
            if depth_within(data, MAX_JSON_DEPTH):
                return data
        raise InputRefused(_("请求内容嵌套层数过多（不超过 %(n)d 层）。", n=MAX_JSON_DEPTH))


def depth_within(data, limit: int) -> bool:
    """Whether lists and objects in data nest no deeper than limit (iteratively)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return True


def install(app: Flask) -> None:
    """Before any rule is added: bounded ``<int:…>``, bounded JSON and its 400 page."""
    app.url_map.converters["int"] = RowIdConverter
    app.json = BoundedJSONProvider(app)

    def refused(exc: InputRefused):
        from app.web.plumbing import error_page

        return error_page(400, exc.description)

    app.register_error_handler(InputRefused, refused)
    app.before_request(refuse_nul)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul() -> None:
    """400 for a NUL character anywhere in the URL or form: PostgreSQL cannot store or
    compare one (a DataError, so a 500), and no real input carries it."""
    values = [request.path, *(request.view_args or {}).values()]
    values += [v for _k, v in request.args.items(multi=True)]
    if request.mimetype in FORM_TYPES:
        values += [v for _k, v in request.form.items(multi=True)]
    if any("\x00" in v for v in values if isinstance(v, str)):
        raise InputRefused(_("请求中含有无效字符（NUL），请删除后重试。"))
