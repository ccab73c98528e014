"""Bulk import of users (inspectors and others) from a spreadsheet: check every row, then apply.

check_rows says per row what will happen and writes nothing: a new account, an update of an
existing one (its name, phone, 执法证号, areas and lead department; never its role, password
or status), no change, or refused with the reason. apply_rows creates the new accounts with one-time passwords (returned
once, stored only as hashes) and makes the updates; the caller commits.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.accounts import DEPARTMENTS, create_user, one_time_password, update_user
from app.core.scope import INSPECTOR
from app.core.tabular import Sheet, TableError, read_sheet
from app.extensions import db
from app.models import Jurisdiction, User
from app.models.user import ROLES

HEADER_ALIASES = {
    "username": ("用户名", "账号", "帐号", "登录名", "username"),
    "display_name": ("姓名", "名字", "name", "display_name"),
    "phone": ("电话", "手机", "手机号", "联系电话", "phone"),
    "enforcement_certificate_no": ("执法证号", "执法证编号", "执法证", "certificate_no"),
    "role": ("角色", "role"),
    "areas": ("辖区", "负责辖区", "所属辖区", "areas", "jurisdictions"),
    "lead": ("牵头单位", "所属牵头单位", "部门", "所属部门", "lead", "department"),
}
REQUIRED = ("username", "display_name", "role")
KNOWN_TITLES = frozenset(alias for aliases in HEADER_ALIASES.values() for alias in aliases)
LIMITS = {"username": 64, "display_name": 100, "phone": 32, "enforcement_certificate_no": 32}
USERNAME = re.compile(r"^[A-Za-z0-9_.-]+$")
ROLE_NAMES = {"管理员": "admin", "检查员": "inspector", "查看者": "viewer"}  # data, not UI text
AREA_SEPARATORS = re.compile(r"[、,，;；\s]+")
FULL_NAME_DOT = re.compile(r"\s*[·・]\s*")


@dataclass
class UserRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict = field(default_factory=dict)
    areas: list[Jurisdiction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    user: User | None = None  # the existing account of this username
    action: str = "new"  # new | update | same | refused


def tidy(value: str) -> str:
    """A cell as meant: control characters dropped, any space (U+3000 too) plain, trimmed."""
    kept = (" " if unicodedata.category(c) in ("Zs", "Cc") else c for c in value)
    kept = (c for c in kept if unicodedata.category(c) != "Cf")  # zero-width marks
    return re.sub(r" +", " ", "".join(kept)).strip()


def header_key(title: str) -> str:
    """A column title compared by meaning: full-width forms folded, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", tidy(title))).lower()


def map_headers(header: list[str]) -> dict[str, int]:
    """Which column holds which field; refuses a file missing a required column."""
    lookup = {header_key(alias): f for f, aliases in HEADER_ALIASES.items() for alias in aliases}
    columns: dict[str, int] = {}
    for i, title in enumerate(header):
        key = lookup.get(header_key(title))
        if key and key not in columns:
            columns[key] = i
    if "username" not in columns:
        raise TableError(_("找不到“用户名”列。表头应有 用户名、姓名、角色，可选 电话、辖区。"))
    return require(columns)


def require(columns: dict[str, int]) -> dict[str, int]:
    """The columns, unless a required one is missing."""
    missing = [HEADER_ALIASES[f][0] for f in REQUIRED if f not in columns]
    if missing:
        raise TableError(_("找不到必需的列：%(cols)s。", cols="、".join(missing)))
    return columns


def role_lookup() -> dict[str, str]:
    """Role codes by their name in the office's sheets (管理员/检查员/查看者) or code."""
    return dict(ROLE_NAMES) | {code: code for code in ROLES}


def area_lookup() -> dict[str, Jurisdiction | None]:
    """Jurisdictions by code, name and full name; None marks a name used twice (ambiguous)."""
    units = list(db.session.scalars(db.select(Jurisdiction).order_by(Jurisdiction.code)))
    by_name: dict[str, set[int]] = {}
    for j in units:
        for key in {j.name, j.full_name.replace(" · ", "·"), j.full_name.replace(" · ", "")}:
            by_name.setdefault(key, set()).add(j.id)
    ids = {j.id: j for j in units}
    found = {key: ids[next(iter(s))] if len(s) == 1 else None for key, s in by_name.items()}
    return found | {j.code: j for j in units}


def read_users(filename: str, data: bytes) -> tuple[Sheet, list[UserRow]]:
    """The sheet as found (title rows, hidden and skipped rows) and its checked user rows."""
    sheet = read_sheet(filename, data, KNOWN_TITLES)
    return sheet, check_rows(sheet)


def check_rows(sheet: Sheet) -> list[UserRow]:
    """Every data row with its values, its action and its errors; nothing is written."""
    columns = map_headers(sheet.header)
    rows = []
    for number, cells in sheet.rows:
        values = {f: tidy(cells[i]) if i < len(cells) else "" for f, i in columns.items()}
        if any(values.values()):
            rows.append(UserRow(number=number, values=values))
    context = {"roles": role_lookup(), "areas": area_lookup(), "users": existing_users(rows)}
    for row in rows:
        check_row(row, context)
    refuse_duplicates(rows)
    return rows


def existing_users(rows: list[UserRow]) -> dict[str, User]:
    """The accounts already holding one of the file's usernames."""
    names = {r.values["username"] for r in rows if r.values["username"]}
    found = db.session.scalars(db.select(User).where(User.username.in_(names)))
    return {u.username: u for u in found}


def identity_errors(values: dict) -> list[str]:
    """What is wrong with the username and name (missing, too long, wrong characters)."""
    errors = length_errors(values)
    if not values["username"]:
        errors.append(_("缺少用户名"))
    elif not USERNAME.match(values["username"]):
        errors.append(_("用户名只能用字母、数字、点、下划线和短横线"))
    if not values["display_name"]:
        errors.append(_("缺少姓名"))
    return errors


def check_row(row: UserRow, context: dict) -> None:
    """Fill in the row's errors, areas, existing user and action."""
    values = row.values
    row.errors += identity_errors(values)
    role = context["roles"].get(values["role"]) or context["roles"].get(values["role"].lower())
    if role is None:
        row.errors.append(_("未知角色“%(r)s”（应为 管理员、检查员 或 查看者）", r=values["role"]))
    row.areas = resolve_areas(row, values.get("areas", ""), context["areas"])
    if values.get("lead") and values["lead"] not in DEPARTMENTS:
        row.errors.append(
            _(
                "未知牵头单位“%(d)s”（应为 %(all)s 之一，或留空）",
                d=values["lead"],
                all="、".join(DEPARTMENTS),
            )
        )
    row.user = context["users"].get(values["username"])
    if row.user and "areas" not in values:
        row.areas = list(row.user.jurisdictions)  # no areas column: an update keeps them
    effective_role = row.user.role if row.user else role
    if effective_role in INSPECTOR and not row.areas and not row.errors:
        row.errors.append(_("检查员须至少负责一个辖区"))
    values["role"] = role
    row.action = "refused" if row.errors else decide(row)


def length_errors(values: dict) -> list[str]:
    """Values longer than their column holds."""
    labels = {"username": _("用户名"), "display_name": _("姓名"), "phone": _("电话")}
    labels["enforcement_certificate_no"] = _("执法证号")
    return [
        _("%(col)s超过 %(n)d 个字符", col=labels[f], n=n)
        for f, n in LIMITS.items()
        if len(values.get(f, "")) > n
    ]


def resolve_areas(row: UserRow, text: str, lookup: dict) -> list[Jurisdiction]:
    """The jurisdictions named in a cell; unknown, ambiguous or closed ones are row errors."""
    found = []
    text = FULL_NAME_DOT.sub("·", text)  # 新区街道 · 新华社区 is one area, not three
    for token in [t for t in AREA_SEPARATORS.split(text) if t]:
        unit = lookup.get(token)
        if token not in lookup:
            row.errors.append(_("未知辖区“%(a)s”", a=token))
        elif unit is None:
            row.errors.append(_("辖区“%(a)s”不明确（多处同名），请写辖区代码", a=token))
        elif not unit.active:
            row.errors.append(_("辖区“%(a)s”已撤销", a=token))
        elif unit not in found:
            found.append(unit)
    return found


def decide(row: UserRow) -> str:
    """new for an unknown username; update or same for an existing account."""
    user = row.user
    if user is None:
        return "new"
    cert = row.values.get("enforcement_certificate_no", user.enforcement_certificate_no)
    lead = row.values["lead"] or None if "lead" in row.values else user.lead
    wanted = (row.values["display_name"], row.values.get("phone", user.phone), cert, lead)
    have = (user.display_name, user.phone, user.enforcement_certificate_no, user.lead)
    wanted, have = (*wanted, set(row.areas)), (*have, set(user.jurisdictions))
    return "same" if wanted == have else "update"


def refuse_duplicates(rows: list[UserRow]) -> None:
    """Every row of a username that appears more than once in the file is refused."""
    seen = Counter(r.values["username"].lower() for r in rows if r.values["username"])
    for row in rows:
        name = row.values["username"].lower()
        if seen[name] > 1:
            numbers = [str(r.number) for r in rows if r.values["username"].lower() == name]
            row.errors.append(_("用户名在文件中重复（第 %(rows)s 行）", rows="、".join(numbers)))
            row.action = "refused"


def summary(rows: list[UserRow]) -> dict[str, int]:
    """How many rows of each action."""
    counts = Counter(r.action for r in rows)
    return {a: counts.get(a, 0) for a in ("new", "update", "same", "refused")}


def apply_rows(actor, rows: list[UserRow]) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Create the new accounts and update the others; returns the counts and, once, the
    (username, name, one-time password) of each new account. The caller commits."""
    passwords = []
    for row in rows:
        if row.action == "new":
            passwords.append(create_from(actor, row))
        elif row.action == "update":
            update_from(actor, row)
    return summary(rows), passwords


def create_from(actor, row: UserRow) -> tuple[str, str, str]:
    """A new account with a one-time password."""
    password = one_time_password()
    values = row.values
    create_user(
        actor,
        username=values["username"],
        display_name=values["display_name"],
        role=values["role"],
        password=password,
        phone=values.get("phone", ""),
        enforcement_certificate_no=values.get("enforcement_certificate_no", ""),
        lead=values.get("lead") or None,
        jurisdictions=row.areas,
        one_time=True,
    )
    return values["username"], values["display_name"], password


def update_from(actor, row: UserRow) -> None:
    """An existing account's name, phone and areas as the file has them."""
    values = row.values
    fields = {"display_name": values["display_name"]}
    for name in ("phone", "enforcement_certificate_no"):
        if name in values:
            fields[name] = values[name]
    if "lead" in values:  # an empty cell clears it; no column keeps it
        fields["lead"] = values["lead"] or None
    update_user(actor, row.user, jurisdictions=row.areas, **fields)
