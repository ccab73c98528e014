"""Street offices, development zones and their communities and villages, from an empty database.

Create, rename, move, merge and close, each audited. Codes are unique for ever (a closed
unit keeps its code and its history); names are unique among a unit's open siblings.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import or_

from app.core import audit
from app.core.clock import local_today
from app.extensions import db
from app.models import Coordinator, Establishment, Jurisdiction, User
from app.models.jurisdiction import JURISDICTION_KINDS, TOP_KINDS
from app.models.types import utcnow

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_NAME = 100
AUDITED = ("code", "name", "kind", "parent_id", "active")


class JurisdictionError(ValueError):
    """A change the registry refuses; the message says why, in Chinese."""


def by_code(code: str) -> Jurisdiction | None:
    """The unit with this code, open or closed."""
    return db.session.scalar(db.select(Jurisdiction).where(Jurisdiction.code == code.strip()))


def open_units(top_only: bool = False) -> list[Jurisdiction]:
    """Open units in code order (top units only if asked)."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.active.is_(True))
    if top_only:
        stmt = stmt.where(Jurisdiction.parent_id.is_(None))
    return list(db.session.scalars(stmt.order_by(Jurisdiction.code)))


def tree() -> list[tuple[Jurisdiction, list[Jurisdiction]]]:
    """Every top unit with its children, open and closed, in code order."""
    stmt = db.select(Jurisdiction).where(Jurisdiction.parent_id.is_(None))
    return [(top, list(top.children)) for top in db.session.scalars(stmt.order_by("code"))]


def check_code(code: str) -> str:
    """A new unit's code: short, plain and not used before."""
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise JurisdictionError(_("编码只能由字母、数字、点、横线或下划线组成，最长 32 个字符。"))
    if by_code(code):
        raise JurisdictionError(_("编码 %(code)s 已被使用。", code=code))
    return code


def check_name(name: str, parent: Jurisdiction | None, unit: Jurisdiction | None = None) -> str:
    """A name that is not empty, fits, and is not taken by an open sibling."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise JurisdictionError(_("名称不能为空，最长 %(n)d 个字符。", n=MAX_NAME))
    if sibling_named(name, parent, unit):
        raise JurisdictionError(_("同一上级下已有名为“%(name)s”的辖区。", name=name))
    return name


def sibling_named(name: str, parent: Jurisdiction | None, unit: Jurisdiction | None):
    """An open unit with this name under the same parent (other than unit itself)."""
    parent_id = parent.id if parent else None
    stmt = db.select(Jurisdiction.id).where(
        Jurisdiction.name == name,
        Jurisdiction.active.is_(True),
        Jurisdiction.parent_id.is_(None)
        if parent_id is None
        else Jurisdiction.parent_id == parent_id,
    )
    if unit is not None and unit.id is not None:
        stmt = stmt.where(Jurisdiction.id != unit.id)
    return db.session.scalar(stmt.limit(1))


def check_placement(kind: str, parent: Jurisdiction | None) -> None:
    """Streets and zones stand at the top; communities and villages sit under an open one."""
    if kind not in JURISDICTION_KINDS:
        raise JurisdictionError(_("未知的辖区类型“%(kind)s”。", kind=kind))
    if kind in TOP_KINDS and parent is not None:
        raise JurisdictionError(_("街道办事处和开发区是最上级，不能有上级。"))
    if kind not in TOP_KINDS and parent is None:
        raise JurisdictionError(_("社区和村必须属于一个街道办事处或开发区。"))
    if parent is not None and (parent.kind not in TOP_KINDS or not parent.active):
        raise JurisdictionError(_("上级必须是未撤销的街道办事处或开发区。"))


def create(actor, code: str, name: str, kind: str, parent: Jurisdiction | None = None):
    """A new open unit, flushed and audited."""
    check_placement(kind, parent)
    unit = Jurisdiction(code=check_code(code), name=check_name(name, parent), kind=kind)
    unit.parent = parent
    unit.created_at = utcnow()
    summary = audit.message("jurisdiction.create", code=unit.code, name=unit.name)
    audit.created(actor, unit, AUDITED, summary)
    return unit


def require_open(*units: Jurisdiction) -> None:
    """Refuse a change to a closed unit."""
    for unit in units:
        if not unit.active:
            raise JurisdictionError(_("“%(name)s”已撤销，不能再修改。", name=unit.name))


def rename(actor, unit: Jurisdiction, name: str, kind: str | None = None) -> dict:
    """Give a unit a new name (and, on the same level, a new kind); returns the changes."""
    require_open(unit)
    values = {"name": check_name(name, unit.parent, unit)}
    if kind and kind != unit.kind:
        if (kind in TOP_KINDS) != (unit.kind in TOP_KINDS):
            raise JurisdictionError(_("类型只能在同一级之间修改（街道/开发区，社区/村）。"))
        check_placement(kind, unit.parent)
        values["kind"] = kind
    summary = audit.message("jurisdiction.update", code=unit.code, name=values["name"])
    return audit.update(actor, unit, AUDITED, values, summary)


def move(actor, unit: Jurisdiction, parent: Jurisdiction) -> dict:
    """Put a community or village under another street office or zone."""
    require_open(unit)
    if unit.kind in TOP_KINDS:
        raise JurisdictionError(_("街道办事处和开发区是最上级，不能移动。"))
    check_placement(unit.kind, parent)
    check_name(unit.name, parent, unit)
    summary = audit.message(
        "jurisdiction.move", name=unit.name, old=unit.parent.name, new=parent.name
    )
    changes = audit.update(actor, unit, AUDITED, {"parent_id": parent.id}, summary)
    db.session.refresh(unit, ["parent"])
    return changes


def active_establishments(unit: Jurisdiction) -> list[Establishment]:
    """The unit's own establishments still in business."""
    stmt = db.select(Establishment).where(
        Establishment.jurisdiction_id == unit.id, Establishment.active.is_(True)
    )
    return list(db.session.scalars(stmt))


def open_children(unit: Jurisdiction) -> list[Jurisdiction]:
    """The unit's communities and villages that are not closed."""
    return [child for child in unit.children if child.active]


def close(actor, unit: Jurisdiction) -> None:
    """Close an empty unit: it leaves the pickers and user areas, its history stays."""
    require_open(unit)
    if active_establishments(unit):
        raise JurisdictionError(
            _("“%(name)s”下还有在营单位，请先把它们调整到其他辖区或合并辖区。", name=unit.name)
        )
    if open_children(unit):
        raise JurisdictionError(
            _("“%(name)s”下还有未撤销的社区或村，请先移动、合并或撤销它们。", name=unit.name)
        )
    shut(actor, unit, audit.message("jurisdiction.close", code=unit.code, name=unit.name))


def shut(actor, unit: Jurisdiction, summary: str, changes: dict | None = None) -> None:
    """Mark a unit closed now and drop it from users' areas (no checks)."""
    for user in users_of(unit):
        user.jurisdictions.remove(unit)
    unit.active = False
    unit.closed_at = utcnow()
    audit.record(actor, "close", unit, summary, changes)
    db.session.flush()


def users_of(unit: Jurisdiction) -> list[User]:
    """Users who have the unit among their areas."""
    stmt = db.select(User).where(User.jurisdictions.any(Jurisdiction.id == unit.id))
    return list(db.session.scalars(stmt))


def merge(actor, source: Jurisdiction, target: Jurisdiction) -> dict:
    """Move everything open in source into target, then close source; returns the counts."""
    require_open(source, target)
    if source.id == target.id:
        raise JurisdictionError(_("不能把辖区合并到它自己。"))
    if (source.kind in TOP_KINDS) != (target.kind in TOP_KINDS):
        raise JurisdictionError(_("只能合并同一级的辖区（街道/开发区之间，社区/村之间）。"))
    moved = {
        "children": move_children(source, target),  # first: it may refuse a name clash
        "establishments": move_establishments(source, target),
        "users": move_users(source, target),
        "coordinators": move_coordinators(source, target),
    }
    names = {"source": [source.code, source.name], "target": [target.code, target.name]}
    changes = {**names, "moved": moved}
    pair = {"source": source.name, "source_code": source.code, "target": target.name}
    merged = audit.message("jurisdiction.merged", **pair, target_code=target.code)
    shut(actor, source, merged, changes)
    audit.record(actor, "merge", target, audit.message("jurisdiction.merged_into", **pair), changes)
    return moved


def move_establishments(source: Jurisdiction, target: Jurisdiction) -> int:
    """Establishments in business move to target; closed ones keep their old unit."""
    rows = active_establishments(source)
    for est in rows:
        est.jurisdiction_id = target.id
    return len(rows)


def move_users(source: Jurisdiction, target: Jurisdiction) -> int:
    """Users covering source cover target instead."""
    users = users_of(source)
    for user in users:
        user.jurisdictions.remove(source)
        if target not in user.jurisdictions:
            user.jurisdictions.append(target)
    return len(users)


def move_coordinators(source: Jurisdiction, target: Jurisdiction) -> int:
    """Coordinators still serving source serve target; ended terms stay as history."""
    stmt = db.select(Coordinator).where(
        Coordinator.village_id == source.id,
        or_(Coordinator.end_on.is_(None), Coordinator.end_on >= local_today()),
    )
    rows = list(db.session.scalars(stmt))
    for coordinator in rows:
        coordinator.village_id = target.id
    return len(rows)


def move_children(source: Jurisdiction, target: Jurisdiction) -> int:
    """Open communities and villages of source go under target (names must stay unique)."""
    children = open_children(source)
    for child in children:
        check_name(child.name, target, child)
    for child in children:
        child.parent_id = target.id
    db.session.flush()
    db.session.expire(source, ["children"])
    db.session.expire(target, ["children"])
    return len(children)
