"""Language choice and local-time display."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def select_locale() -> str:
    """The language the user picked, else zh_CN (the city's working language)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang") or request.cookies.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def local(value: datetime | None) -> datetime | None:
    """A UTC timestamp in Asia/Shanghai time."""
    return value.astimezone(LOCAL_ZONE) if value else None


def local_today():
    """Today's date in Asia/Shanghai, which decides due dates and periods."""
    return datetime.now(LOCAL_ZONE).date()


def format_local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC timestamp formatted in Asia/Shanghai time, '' for none."""
    return local(value).strftime(fmt) if value else ""
