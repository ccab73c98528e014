"""Bulk import of establishments from the office's existing registers (CSV or XLSX).

check_rows says per row what a confirm will do (new, update of a known licence number,
unchanged, duplicate in the file, refused and why) without writing anything; import_rows
then writes what the preview promised.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.tabular import Sheet
from app.extensions import db
from app.models import Establishment, Jurisdiction
from app.models.establishment import CATEGORIES, SCHOOL_TYPES
from app.registry.cells import is_long_term, lost_leading_zero, parse_phone
from app.registry.establishments import (
    close_establishment,
    create_establishment,
    update_establishment,
)
from app.registry.import_checks import (
    check_coordinates,
    check_flags,
    check_lengths,
    check_licence_dates,
    check_school_type,
)
from app.registry.import_columns import FIELD_LABELS

# Stored as the close reason of a row marked closed without one (data, not UI text).
CLOSED_ON_IMPORT = "导入名录时已注销"
# What a row for a known licence number may change: the columns the file has, where the cell
# is not empty (an empty cell never erases what the registry holds). Codes, history and
# the state stay; a row marked 已注销 closes an open establishment, none is reopened.
UPDATABLE = (
    "name", "category", "school_type", "jurisdiction_id", "address", "operator",
    "contact_phone", "latitude", "longitude", "permit_issued_on", "licence_valid_until",
    "surveillance_site", "risk_grade",
)  # fmt: skip
SOURCE = {"jurisdiction_id": "jurisdiction"}  # the column an updatable field is read from


@dataclass
class ImportRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # accepted, but worth a look
    close_reason: str | None = None  # set when the row is an establishment already closed
    duplicate: bool = False  # the same licence number or name earlier in the file
    existing: Establishment | None = None  # the establishment its licence number names
    changes: dict = field(default_factory=dict)  # for an update: field -> new value

    @property
    def action(self) -> str:
        """What confirm does: new, update, unchanged, duplicate or refused."""
        if self.errors:
            return "duplicate" if self.duplicate else "refused"
        if self.existing is None:
            return "new"
        return "update" if self.changes or self.closes else "unchanged"

    @property
    def closes(self) -> bool:
        """Whether the row closes the open establishment its licence number names."""
        return bool(self.existing and self.existing.active and self.close_reason is not None)

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields' names, for the preview."""
        names = [str(FIELD_LABELS[SOURCE.get(f, f)]) for f in self.changes]
        return names + ([str(FIELD_LABELS["status"])] if self.closes else [])


def lookups(licences: set[str]) -> dict:
    """Name-to-code tables for categories, school types and jurisdictions, known licences."""
    jurisdictions: dict[str, int | None] = {}
    closed = set()
    for j in db.session.scalars(db.select(Jurisdiction).where(Jurisdiction.active.is_(False))):
        closed |= {j.code, j.full_name, j.full_name.replace(" · ", ""), j.name}
    for j in db.session.scalars(db.select(Jurisdiction).where(Jurisdiction.active.is_(True))):
        for key in {j.code, j.full_name, j.full_name.replace(" · ", ""), j.name}:
            # A bare community name used in two street offices is ambiguous: mark it.
            jurisdictions[key] = None if key in jurisdictions and key == j.name else j.id
    known = db.select(Establishment).where(Establishment.licence_no.in_(sorted(licences)))
    return {
        "category": labels_to_codes(CATEGORIES),
        "school_type": labels_to_codes(SCHOOL_TYPES),
        "jurisdiction": jurisdictions,
        "closed_units": closed - set(jurisdictions),
        "licences": {e.licence_no: e for e in db.session.scalars(known)} if licences else {},
        "names": {
            tuple(row)
            for row in db.session.execute(
                db.select(Establishment.name, Establishment.jurisdiction_id)
            )
        },
    }


def labels_to_codes(labels: dict) -> dict[str, str]:
    """Codes by their Chinese and English labels (whatever the UI's language) and themselves."""
    codes = {k: k for k in labels}
    for locale in ("en", "zh_CN"):
        with force_locale(locale):
            codes |= {str(v): k for k, v in labels.items()}
    return codes


def check_rows(sheet: Sheet, columns: dict[str, int]) -> list[ImportRow]:
    """Every data row with its cleaned values and what confirm will do with it."""
    raws = [
        (n, {f: cells[i] for f, i in columns.items() if i < len(cells)}) for n, cells in sheet.rows
    ]
    known = lookups({raw["licence_no"] for _n, raw in raws if raw.get("licence_no")})
    seen: set = set()
    return [check_row(number, raw, known, seen) for number, raw in raws]


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
    check_jurisdiction(row, raw.get("jurisdiction", ""), known)
    check_licence(row, raw.get("licence_no", ""), known, seen)
    check_name(row, known, seen)
    for name in ("address", "operator"):
        values[name] = raw.get(name, "")
    check_phone(row, raw.get("contact_phone", ""))
    check_lengths(row)
    check_coordinates(row, raw)
    check_licence_dates(row, raw)
    check_flags(row, raw, CLOSED_ON_IMPORT)
    if row.existing is not None and not row.errors:
        row.changes = changes_for(row, raw)
    return row


def check_jurisdiction(row: ImportRow, text: str, known: dict) -> None:
    """An open street office, community or village, by code, full name or unique name."""
    row.values["jurisdiction_id"] = known["jurisdiction"].get(text)
    if text in known["closed_units"]:
        row.errors.append(_("辖区“%(v)s”已撤销，请改填现在的辖区", v=text))
    elif not row.values["jurisdiction_id"]:
        row.errors.append(_("未知或不明确的辖区“%(v)s”", v=text))


def check_licence(row: ImportRow, licence: str, known: dict, seen: set) -> None:
    """A licence number already in the registry makes the row an update; twice in the file, a duplicate."""
    row.values["licence_no"] = licence or None
    if not licence:
        return
    if licence in seen:
        row.errors.append(_("许可证或登记号 %(v)s 在文件中重复", v=licence))
        row.duplicate = True
    row.existing = known["licences"].get(licence)
    seen.add(licence)


def check_name(row: ImportRow, known: dict, seen: set) -> None:
    """The same name in the same jurisdiction is the same establishment: never add it twice."""
    key = (row.values["name"], row.values["jurisdiction_id"])
    if not all(key):
        return
    if key in seen:
        row.errors.append(_("同名单位在文件中重复"))
        row.duplicate = True
    elif row.existing is None and key in known["names"]:
        row.errors.append(_("同名单位已在该辖区登记"))
    seen.add(key)


def check_phone(row: ImportRow, text: str) -> None:
    """A phone number made whole if a number cell mangled it; a landline missing its 0 noted."""
    try:
        row.values["contact_phone"] = parse_phone(text)
    except ValueError:
        row.values["contact_phone"] = text
        row.errors.append(_("联系电话“%(v)s”不是完整的号码", v=text))
        return
    if lost_leading_zero(row.values["contact_phone"]):
        row.notes.append(
            _("联系电话“%(v)s”像是缺了开头 0 的固定电话，已按原样导入，请核对", v=text)
        )


def changes_for(row: ImportRow, raw: dict) -> dict:
    """For an update: the fields the file gives (non-empty cells) that differ from the registry."""
    given = {f for f in UPDATABLE if raw.get(SOURCE.get(f, f), "")}
    if is_long_term(raw.get("licence_valid_until", "")):
        given.add("licence_valid_until")
    if row.values["category"] != "school_canteen":
        given.add("school_type")  # a canteen no longer: no school type, as on the office form
    est = row.existing
    return {f: row.values[f] for f in UPDATABLE if f in given and getattr(est, f) != row.values[f]}


def import_rows(actor, rows: list[ImportRow]) -> dict:
    """Create new rows, update known ones, each audited, closing those marked closed; counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for row in rows:
        if row.action == "new":
            est = create_establishment(actor, **row.values)
            if row.close_reason is not None:
                close_establishment(actor, est, row.close_reason)
            counts["created"] += 1
        elif row.action == "update":
            update_row(actor, row)
            counts["updated"] += 1
        else:
            counts["unchanged" if row.action == "unchanged" else "skipped"] += 1
    return counts


def update_row(actor, row: ImportRow) -> None:
    """Apply a known licence number's changes, audited, and close it if the row says so."""
    est = db.session.get(Establishment, row.existing.id)
    if row.changes:
        update_establishment(actor, est, **row.changes)
    if row.closes:
        close_establishment(actor, est, row.close_reason)
