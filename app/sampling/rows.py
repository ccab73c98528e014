"""One typed row of a day's tests, checked: the Chinese reasons it cannot be kept, or its values."""

from __future__ import annotations

import math
from datetime import date, timedelta

from flask_babel import gettext as _

from app.core.clock import local_today
from app.inspections.submission import normal_uuid
from app.models.sample import BATCH_ACTIONS, SAMPLE_METHODS, SAMPLE_RESULTS, TEST_ITEMS

LIMITS = {"stall": 64, "product": 64, "unit": 16, "tester_name": 32, "certificate_no": 64}
NOTE_MAX = 500
OLDEST_DAYS = 366  # a test entered later than a year after the day is a typo
FIELDS = ("product", "test_item", "result", "value", "stall", "certificate_no", "action_note")


def is_blank(row: dict) -> bool:
    """A row the phone form left empty (no product, item or result typed)."""
    return not any(str(row.get(key) or "").strip() for key in FIELDS)


def text(row: dict, key: str) -> str:
    """A text field, trimmed ('' when missing)."""
    return str(row.get(key) or "").strip()


def parse_day(raw: str, today: date) -> tuple[date | None, str | None]:
    """The test day (today when empty), or a message."""
    if not raw:
        return today, None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, _("【检测日期】格式应为 年-月-日：%(v)s", v=raw)
    if day > today:
        return None, _("【检测日期】不能晚于今天")
    if day < today - timedelta(days=OLDEST_DAYS):
        return None, _("【检测日期】早于一年前，请核对")
    return day, None


def parse_value(raw: str) -> tuple[float | None, str | None]:
    """The measured value (none when empty), or a message."""
    if not raw:
        return None, None
    try:
        value = float(raw.replace("，", ".").replace(",", "."))
    except ValueError:
        return None, _("【检测值】应为数字：%(v)s", v=raw)
    if not math.isfinite(value) or value < 0:
        return None, _("【检测值】应为不小于 0 的数字：%(v)s", v=raw)
    return value, None


def certificate(raw: str) -> tuple[bool | None, str | None]:
    """Whether the batch has a 承诺达标合格证 (None: not asked), or a message."""
    if raw in ("", None):
        return None, None
    if raw in ("yes", "no"):
        return raw == "yes", None
    return None, _("【承诺达标合格证】请选择有或无")


def actions(row: dict, result: str) -> tuple[list[str], list[str]]:
    """The failing batch's handling codes, and messages."""
    codes = row.get("batch_actions") or []
    codes = codes.split() if isinstance(codes, str) else [str(c) for c in codes]
    messages = []
    if any(code not in BATCH_ACTIONS for code in codes):
        messages.append(_("【不合格批次处置】无效"))
    if result == "fail" and not codes:
        messages.append(_("不合格批次请选择处置方式（下架、销毁、溯源，可多选）"))
    if result == "pass" and codes:
        messages.append(_("合格样品无需填写处置方式"))
    return [c for c in BATCH_ACTIONS if c in codes], messages


def choices(values: dict) -> list[str]:
    """Messages for the coded fields."""
    messages = []
    if not values["product"]:
        messages.append(_("请填写【样品名称】"))
    if values["test_item"] not in TEST_ITEMS:
        messages.append(_("请选择【检测项目】"))
    if values["method"] not in SAMPLE_METHODS:
        messages.append(_("【检测方式】无效"))
    if values["result"] not in SAMPLE_RESULTS:
        messages.append(_("请选择【检测结果】（合格或不合格）"))
    return messages


def lengths(values: dict) -> list[str]:
    """Messages for texts too long to keep."""
    messages = [
        _("【%(f)s】不超过 %(n)d 字", f=FIELD_NAMES[key](), n=n)
        for key, n in LIMITS.items()
        if len(values[key]) > n
    ]
    if len(values["action_note"]) > NOTE_MAX:
        messages.append(_("【处置说明】不超过 %(n)d 字", n=NOTE_MAX))
    return messages


FIELD_NAMES = {
    "stall": lambda: _("摊位"),
    "product": lambda: _("样品名称"),
    "unit": lambda: _("单位"),
    "tester_name": lambda: _("检测人员"),
    "certificate_no": lambda: _("合格证编号"),
}


def check_row(row: dict, today: date | None = None) -> tuple[dict, list[str]]:
    """The row's values ready for a Sample, and why it cannot be kept (empty when it can)."""
    values = {key: text(row, key) for key in (*LIMITS, "action_note")}
    values |= {
        "test_item": text(row, "test_item"),
        "method": text(row, "method") or "rapid",
        "result": text(row, "result"),
        "client_uuid": normal_uuid(row.get("client_uuid")),
    }
    messages = choices(values) + lengths(values)
    values["tested_on"], bad_day = parse_day(text(row, "tested_on"), today or local_today())
    values["value"], bad_value = parse_value(text(row, "value"))
    values["has_certificate"], bad_cert = certificate(text(row, "has_certificate"))
    codes, bad_actions = actions(row, values["result"])
    values["batch_actions"] = " ".join(codes)
    messages += [m for m in (bad_day, bad_value, bad_cert) if m] + bad_actions
    return values, messages
