"""The importer's checks of one row's typed cells: school type, lengths, coordinates, dates, flags.

Each adds the reasons a row cannot be imported to row.errors, and what it accepted but
worth a look to row.notes, in Chinese.
"""

from flask_babel import gettext as _

from app.models import Establishment
from app.models.establishment import SCHOOL_TYPES
from app.registry.cells import (
    is_long_term,
    parse_closed,
    parse_date,
    parse_grade,
    parse_validity,
    parse_yes_no,
)
from app.registry.import_columns import FIELD_LABELS

TEXT_FIELDS = ("name", "address", "licence_no", "operator", "contact_phone")


def check_school_type(row, text: str, known: dict) -> None:
    """A school canteen needs a known school type, as the office form asks; others have none."""
    school_type = known["school_type"].get(text)
    row.values["school_type"] = school_type if row.values["category"] == "school_canteen" else None
    if row.values["category"] != "school_canteen" or school_type:
        return
    if text:
        row.errors.append(_("未知学校类型“%(v)s”", v=text))
    else:
        types = "、".join(str(label) for label in SCHOOL_TYPES.values())
        row.errors.append(_("学校食堂须填写学校类型（%(types)s）", types=types))


def check_lengths(row) -> None:
    """Every text fits its column, so that no database refuses the row at confirm."""
    for name in TEXT_FIELDS:
        limit = Establishment.__table__.c[name].type.length
        value = row.values.get(name) or ""
        if len(value) > limit:
            row.errors.append(
                _(
                    "%(col)s过长：%(n)d 个字符，最多 %(max)d 个",
                    col=FIELD_LABELS[name],
                    n=len(value),
                    max=limit,
                )
            )


def check_coordinates(row, raw: dict) -> None:
    """Latitude and longitude are optional numbers in range."""
    for name, limit in (("latitude", 90), ("longitude", 180)):
        text = raw.get(name, "")
        try:
            value = float(text) if text else None
        except ValueError:
            value = None
            row.errors.append(_("坐标“%(v)s”不是数字", v=text))
        if value is not None and abs(value) > limit:
            row.errors.append(_("坐标 %(v)s 超出范围", v=text))
            value = None
        row.values[name] = value


def parsed(row, raw: dict, name: str, parse, reason):
    """A typed cell's value; None, with reason(text) added to the errors, if unreadable."""
    text = raw.get(name, "")
    try:
        return parse(text)
    except ValueError:
        row.errors.append(reason(text))
        return None


def check_licence_dates(row, raw: dict) -> None:
    """Permit date and licence validity: real dates (长期 is no end date), in order."""
    for name, parse in (("permit_issued_on", parse_date), ("licence_valid_until", parse_validity)):
        col = FIELD_LABELS[name]
        row.values[name] = parsed(
            row, raw, name, parse,
            lambda v, col=col: _("%(col)s“%(v)s”不是有效日期，请写成 2024-05-01", col=col, v=v),
        )  # fmt: skip
    if is_long_term(raw.get("licence_valid_until", "")):
        row.notes.append(_("有效期“长期”：按无截止日期导入"))
    issued, until = row.values["permit_issued_on"], row.values["licence_valid_until"]
    if issued and until and until < issued:
        row.errors.append(_("许可证有效期至早于许可发证日期"))


def check_flags(row, raw: dict, closed_on_import: str) -> None:
    """Surveillance site (是/否), risk grade (A-D) and status (在营/已注销, with its reason)."""
    row.values["surveillance_site"] = parsed(
        row, raw, "surveillance_site", parse_yes_no,
        lambda v: _("食源性疾病监测哨点“%(v)s”应填 是 或 否", v=v),
    )  # fmt: skip
    row.values["risk_grade"] = parsed(
        row, raw, "risk_grade", parse_grade,
        lambda v: _("风险等级“%(v)s”应为 A、B、C 或 D", v=v),
    )  # fmt: skip
    closed = parsed(
        row, raw, "status", parse_closed,
        lambda v: _("未知状态“%(v)s”（应为 在营 或 已注销）", v=v),
    )  # fmt: skip
    if closed:
        row.close_reason = raw.get("closed_reason") or closed_on_import
