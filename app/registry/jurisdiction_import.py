"""Jurisdictions from a spreadsheet (code, name, parent, kind): checked per row, then applied.

check_rows writes nothing: it says for each row whether it is new, an update of a known code,
unchanged, or refused and why. apply_rows makes the changes through app.registry.jurisdictions,
top units first so that a file may define a street office and its villages together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import imports
from app.core.tabular import TableError, read_table
from app.extensions import db
from app.models import ImportBatch, Jurisdiction
from app.models.jurisdiction import JURISDICTION_KINDS, TOP_KINDS
from app.registry import jurisdictions as units
from app.registry.jurisdictions import CODE_PATTERN, MAX_NAME, JurisdictionError

KIND = "jurisdictions"
YIMA_FILE = Path(__file__).parent / "data" / "yima_top_level.csv"
HEADER_ALIASES = {
    "code": ("编码", "代码", "辖区编码", "code"),
    "name": ("名称", "辖区名称", "辖区", "name"),
    "parent": ("上级编码", "上级", "上级名称", "上级辖区", "所属街道", "parent", "parent_code"),
    "kind": ("类型", "类别", "辖区类型", "kind"),
}
KIND_WORDS = {
    "街道": "street", "街道办": "street", "街道办事处": "street", "开发区": "zone",
    "园区": "zone", "社区": "community", "村": "village", "行政村": "village",
}  # fmt: skip
HEADER_ROWS_SEARCHED = 10


@dataclass
class AreaRow:
    number: int  # the row number as the spreadsheet shows it
    code: str = ""
    name: str = ""
    kind: str = ""
    parent: str = ""  # the parent's code, resolved
    outcome: str = "new"  # new, update, same, refused
    errors: list[str] = field(default_factory=list)


def normalise(title: str) -> str:
    """A header cell compared without spaces (also full-width ones) or case."""
    return "".join(title.split()).replace("\u3000", "").lower()


def find_header(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The header row (among the first few) and which column holds which field."""
    lookup = {normalise(a): f for f, aliases in HEADER_ALIASES.items() for a in aliases}
    for index, row in enumerate(table[:HEADER_ROWS_SEARCHED]):
        columns: dict[str, int] = {}
        for i, title in enumerate(row):
            key = lookup.get(normalise(title))
            if key and key not in columns:
                columns[key] = i
        if "code" in columns and "name" in columns:
            return index, columns
    raise TableError(_("找不到表头：需要“编码”和“名称”两列，可选“上级编码”（或“上级”）和“类型”。"))


def parse_kind(text: str, name: str) -> str | None:
    """A kind from its Chinese or English name, or guessed from the unit's name when blank."""
    text = normalise(text)
    if text in JURISDICTION_KINDS:
        return text
    labels = {normalise(str(label)): k for k, label in JURISDICTION_KINDS.items()}
    if text:
        return KIND_WORDS.get(text) or labels.get(text)
    for suffix, kind in (("街道", "street"), ("开发区", "zone"), ("社区", "community")):
        if name.endswith(suffix):
            return kind
    return "village" if name.endswith("村") else None


def read_rows(filename: str, data: bytes) -> list[AreaRow]:
    """Every data row of a file, checked against the registry as it is now."""
    return check_rows(read_table(filename, data))


def check_rows(table: list[list[str]]) -> list[AreaRow]:
    """Every data row with its outcome; nothing is written."""
    start, columns = find_header(table)
    rows = []
    for number, cells in enumerate(table[start + 1 :], start=start + 2):
        raw = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
        if any(raw.values()):
            rows.append(AreaRow(number, raw["code"], " ".join(raw["name"].split())))
            rows[-1].kind = parse_kind(raw.get("kind", ""), rows[-1].name) or ""
            rows[-1].parent = raw.get("parent", "")
    if not rows:
        raise TableError(_("文件中没有辖区数据行。"))
    Checker(rows).run()
    return rows


class Checker:
    """Checks rows against the registry and against each other."""

    def __init__(self, rows: list[AreaRow]):
        self.rows = rows
        self.known = {j.code: j for j in db.session.scalars(db.select(Jurisdiction))}
        self.tops = {r.code: r for r in rows if r.kind in TOP_KINDS}
        self.seen: set[str] = set()
        self.names: set[tuple[str, str]] = set()

    def run(self) -> None:
        """Set each row's outcome and errors; a refused top unit refuses its children."""
        for row in self.rows:
            self.check(row)
            row.outcome = "refused" if row.errors else self.outcome(row)
        refused = {r.code for r in self.rows if r.outcome == "refused" and r.kind in TOP_KINDS}
        for row in self.rows:
            if row.outcome != "refused" and row.parent in refused:
                row.errors.append(_("上级 %(v)s 的行被拒绝", v=row.parent))
                row.outcome = "refused"

    def check(self, row: AreaRow) -> None:
        """Code, name, kind and parent of one row."""
        if not CODE_PATTERN.match(row.code):
            row.errors.append(
                _("编码“%(v)s”无效（字母、数字、点、横线或下划线，最长 32 位）", v=row.code)
            )
        elif row.code in self.seen:
            row.errors.append(_("编码 %(v)s 在文件中重复", v=row.code))
        self.seen.add(row.code)
        if not row.name or len(row.name) > MAX_NAME:
            row.errors.append(_("缺少名称或名称超过 %(n)d 个字符", n=MAX_NAME))
        if not row.kind:
            row.errors.append(_("未知类型（填 街道、开发区、社区 或 村）"))
        self.check_parent(row)
        if not row.errors:
            self.check_sibling_name(row)

    def check_sibling_name(self, row: AreaRow) -> None:
        """Two open units under one parent may not share a name."""
        parent = "" if row.kind in TOP_KINDS else row.parent
        clash = [
            j for j in self.known.values()
            if j.active and j.name == row.name and j.code != row.code
            and (j.parent.code if j.parent else "") == parent
        ]  # fmt: skip
        if (parent, row.name) in self.names or clash:
            row.errors.append(_("同一上级下已有名为“%(v)s”的辖区", v=row.name))
        self.names.add((parent, row.name))

    def check_parent(self, row: AreaRow) -> None:
        """Top units have no parent; the others name an open street office or zone."""
        if row.kind in TOP_KINDS:
            if row.parent:
                row.errors.append(_("街道办事处和开发区不能有上级"))
            return
        if not row.kind:
            return
        code = self.parent_code(row.parent)
        if code is None:
            row.errors.append(_("未知或不明确的上级“%(v)s”", v=row.parent))
        row.parent = code or row.parent

    def parent_code(self, text: str) -> str | None:
        """The code of the top unit named by code or name, in the file or the registry."""
        if not text:
            return None
        open_tops = {c: j for c, j in self.known.items() if j.active and j.kind in TOP_KINDS}
        if text in self.tops or text in open_tops:
            return text
        named = {r.code for r in self.tops.values() if r.name == text}
        named |= {c for c, j in open_tops.items() if j.name == text}
        return named.pop() if len(named) == 1 else None

    def outcome(self, row: AreaRow) -> str:
        """new, update or same, refusing a row the registry would not accept."""
        unit = self.known.get(row.code)
        if unit is None:
            return "new"
        if not unit.active:
            row.errors.append(_("编码 %(v)s 属于已撤销的辖区", v=row.code))
        elif (row.kind in TOP_KINDS) != (unit.kind in TOP_KINDS):
            row.errors.append(_("不能改变辖区的级别（街道/开发区与社区/村之间）"))
        if row.errors:
            return "refused"
        parent = unit.parent.code if unit.parent else ""
        same = (unit.name, unit.kind, parent) == (row.name, row.kind, row.parent)
        return "same" if same else "update"


def apply_rows(actor, rows: list[AreaRow]) -> dict:
    """Create or update every accepted row (top units first); returns the counts."""
    counts = {"new": 0, "update": 0, "same": 0, "refused": 0}
    ordered = sorted(rows, key=lambda r: r.kind not in TOP_KINDS)
    for row in ordered:
        if row.outcome in ("new", "update"):
            apply_row(actor, row)
        counts[row.outcome] += 1
    return counts


def apply_row(actor, row: AreaRow) -> None:
    """One accepted row through the same functions as the office's forms."""
    parent = units.by_code(row.parent) if row.parent else None
    unit = units.by_code(row.code)
    if unit is None:
        units.create(actor, row.code, row.name, row.kind, parent)
        return
    units.rename(actor, unit, row.name, row.kind)
    if parent is not None and unit.parent_id != parent.id:
        units.move(actor, unit, parent)


def import_file(actor, filename: str, data: bytes) -> dict:
    """Check and apply a whole file (the CLI's path; the caller commits)."""
    rows = read_rows(filename, data)
    try:
        return apply_rows(actor, rows)
    except JurisdictionError:
        db.session.rollback()
        raise


def load_yima(actor) -> dict:
    """The shipped top level of Yima: six street offices and the development zone."""
    return import_file(actor, YIMA_FILE.name, YIMA_FILE.read_bytes())


def confirm(instance_path: str, batch: ImportBatch, actor) -> tuple[dict | None, bool]:
    """Apply a staged upload once: (result, replay); (None, False) when it expired."""
    if batch.confirmed_at is not None or not imports.claim(batch):
        db.session.refresh(batch)
        return batch.result or {}, True
    data = imports.staged_bytes(instance_path, batch)
    if data is None:
        imports.unclaim(batch)
        return None, False
    try:
        result = apply_rows(actor, read_rows(batch.token, data))
        db.session.flush()
    except (TableError, JurisdictionError, IntegrityError) as exc:
        db.session.rollback()
        imports.unclaim(batch)
        if isinstance(exc, IntegrityError):  # a code taken by another admin meanwhile
            raise JurisdictionError(_("有编码刚被其他人使用，请重新上传预览。")) from exc
        raise
    imports.finish(instance_path, batch, result)
    return result, False
