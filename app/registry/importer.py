"""Bulk import of establishments from the office's existing registers (CSV or XLSX)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.tabular import TableError
from app.extensions import db
from app.models import Establishment, Jurisdiction
from app.models.establishment import CATEGORIES, SCHOOL_TYPES
from app.registry.cells import parse_closed, parse_date, parse_grade, parse_yes_no
from app.registry.establishments import close_establishment, create_establishment

# Chinese column headers as the office's spreadsheets spell them, mapped to our fields.
HEADER_ALIASES = {
    "name": ("名称", "单位名称", "店名", "经营者名称", "企业名称", "name"),
    "category": ("类别", "类型", "业态", "单位类别", "category"),
    "school_type": ("学校类型", "school_type"),
    "jurisdiction": ("辖区", "所属辖区", "社区/村", "社区", "村", "jurisdiction"),
    "address": ("地址", "经营地址", "经营场所", "address"),
    "licence_no": ("许可证或登记号", "许可证号", "许可证编号", "登记号", "备案号", "licence_no"),
    "permit_issued_on": ("许可发证日期", "发证日期", "许可日期", "permit_issued_on"),
    "licence_valid_until": ("许可证有效期至", "有效期至", "有效期", "licence_valid_until"),
    "operator": ("经营者", "负责人", "法定代表人", "operator"),
    "contact_phone": ("联系电话", "电话", "手机", "contact_phone"),
    "latitude": ("纬度", "latitude"),
    "longitude": ("经度", "longitude"),
    "surveillance_site": ("食源性疾病监测哨点", "监测哨点", "哨点", "surveillance_site"),
    "risk_grade": ("风险等级", "risk_grade"),
    "status": ("状态", "经营状态", "status"),
    "closed_reason": ("注销原因", "closed_reason"),
}
REQUIRED = ("name", "category", "jurisdiction")
# Stored as the close reason of a row marked closed without one (data, not UI text).
CLOSED_ON_IMPORT = "导入名录时已注销"


@dataclass
class ImportRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    close_reason: str | None = None  # set when the row is an establishment already closed


def map_headers(header: list[str]) -> dict[str, int]:
    """Which column holds which field; refuses a file missing a required column."""
    lookup = {alias: f for f, aliases in HEADER_ALIASES.items() for alias in aliases}
    columns = {}
    for i, title in enumerate(header):
        key = lookup.get(title.strip().replace(" ", ""))
        if key and key not in columns:
            columns[key] = i
    missing = [HEADER_ALIASES[f][0] for f in REQUIRED if f not in columns]
    if missing:
        raise TableError(
            _(
                "找不到必需的列：%(cols)s。第一行应是表头（如 名称、类别、辖区）；如表头是乱码，说明文件编码不对。",
                cols="、".join(missing),
            )
        )
    return columns


def lookups() -> dict:
    """Name-to-code tables for categories, school types and jurisdictions."""
    jurisdictions: dict[str, int | None] = {}
    for j in db.session.scalars(db.select(Jurisdiction)):
        for key in {j.code, j.full_name, j.full_name.replace(" · ", ""), j.name}:
            # A bare community name used in two street offices is ambiguous: mark it.
            jurisdictions[key] = None if key in jurisdictions and key == j.name else j.id
    return {
        "category": {str(v): k for k, v in CATEGORIES.items()} | {k: k for k in CATEGORIES},
        "school_type": {str(v): k for k, v in SCHOOL_TYPES.items()} | {k: k for k in SCHOOL_TYPES},
        "jurisdiction": jurisdictions,
        "licences": set(
            db.session.scalars(
                db.select(Establishment.licence_no).where(Establishment.licence_no.is_not(None))
            )
        ),
        "names": {
            tuple(row)
            for row in db.session.execute(
                db.select(Establishment.name, Establishment.jurisdiction_id)
            )
        },
    }


def check_rows(table: list[list[str]]) -> list[ImportRow]:
    """Every data row with its cleaned values and the reasons it cannot be imported."""
    if not table:
        raise TableError(_("文件是空的。"))
    columns = map_headers(table[0])
    known = lookups()
    seen: set = set()
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
        if any(raw.values()):
            rows.append(check_row(number, raw, known, seen))
    return rows


def check_row(number: int, raw: dict, known: dict, seen: set) -> ImportRow:
    """One row cleaned and checked."""
    row = ImportRow(number)
    values = row.values
    values["name"] = raw.get("name", "")
    if not values["name"]:
        row.errors.append(_("缺少名称"))
    values["category"] = known["category"].get(raw.get("category", ""))
    if not values["category"]:
        row.errors.append(_("未知类别“%(v)s”", v=raw.get("category", "")))
    check_school_type(row, raw.get("school_type", ""), known)
    values["jurisdiction_id"] = known["jurisdiction"].get(raw.get("jurisdiction", ""))
    if not values["jurisdiction_id"]:
        row.errors.append(_("未知或不明确的辖区“%(v)s”", v=raw.get("jurisdiction", "")))
    check_licence(row, raw.get("licence_no", ""), known, seen)
    check_name(row, known, seen)
    for name in ("address", "operator", "contact_phone"):
        values[name] = raw.get(name, "")
    check_coordinates(row, raw)
    check_licence_dates(row, raw)
    check_flags(row, raw)
    return row


def check_school_type(row: ImportRow, text: str, known: dict) -> None:
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


def check_licence(row: ImportRow, licence: str, known: dict, seen: set) -> None:
    """A licence number must be new to the registry and to the file."""
    row.values["licence_no"] = licence or None
    if not licence:
        return
    if licence in known["licences"]:
        row.errors.append(_("许可证或登记号 %(v)s 已在名录中", v=licence))
    elif licence in seen:
        row.errors.append(_("许可证或登记号 %(v)s 在文件中重复", v=licence))
    seen.add(licence)


def check_name(row: ImportRow, known: dict, seen: set) -> None:
    """The same name in the same jurisdiction is the same establishment: never add it twice."""
    key = (row.values["name"], row.values["jurisdiction_id"])
    if not all(key):
        return
    if key in known["names"]:
        row.errors.append(_("同名单位已在该辖区登记"))
    elif key in seen:
        row.errors.append(_("同名单位在文件中重复"))
    seen.add(key)


def check_coordinates(row: ImportRow, raw: dict) -> None:
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


def parsed(row: ImportRow, raw: dict, name: str, parse, reason):
    """A typed cell's value; None, with reason(text) added to the errors, if unreadable."""
    text = raw.get(name, "")
    try:
        return parse(text)
    except ValueError:
        row.errors.append(reason(text))
        return None


def check_licence_dates(row: ImportRow, raw: dict) -> None:
    """Permit date and licence validity: real dates, the validity not before the permit."""
    for name in ("permit_issued_on", "licence_valid_until"):
        col = HEADER_ALIASES[name][0]
        row.values[name] = parsed(
            row, raw, name, parse_date,
            lambda v, col=col: _("%(col)s“%(v)s”不是有效日期，请写成 2024-05-01", col=col, v=v),
        )  # fmt: skip
    issued, until = row.values["permit_issued_on"], row.values["licence_valid_until"]
    if issued and until and until < issued:
        row.errors.append(_("许可证有效期至早于许可发证日期"))


def check_flags(row: ImportRow, raw: dict) -> None:
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
        row.close_reason = raw.get("closed_reason") or CLOSED_ON_IMPORT


def import_rows(actor, rows: list[ImportRow]) -> int:
    """Create the rows without errors, each audited, closing those marked closed; how many."""
    good = [r for r in rows if not r.errors]
    for row in good:
        est = create_establishment(actor, **row.values)
        if row.close_reason is not None:
            close_establishment(actor, est, row.close_reason)
    return len(good)
