"""The establishment registry: create, edit, close and search (used by web, import and CLI)."""

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import aliased, selectinload

from app.core import audit
from app.core.scope import establishment_scope
from app.extensions import db
from app.models import Establishment, Jurisdiction, User
from app.models.types import utcnow
from app.registry.codes import new_short_code, new_token, normalise_short_code

EDITABLE = (
    "name",
    "category",
    "school_type",
    "jurisdiction_id",
    "address",
    "licence_no",
    "operator",
    "contact_phone",
    "latitude",
    "longitude",
    "permit_issued_on",
    "licence_valid_until",
    "surveillance_site",
)
AUDITED = (*EDITABLE, "active", "closed_reason")


def create_establishment(actor: User | None, **fields) -> Establishment:
    """Register an establishment, give it its codes, and audit it."""
    est = Establishment(**fields, qr_token=new_token(), short_code=new_short_code())
    audit.created(actor, est, AUDITED, audit.message("establishment.create", name=est.name))
    return est


def update_establishment(actor: User | None, est: Establishment, **fields) -> dict:
    """Change an establishment's details; returns (and audits) what changed."""
    return audit.update(
        actor,
        est,
        AUDITED,
        fields,
        audit.message("establishment.update", name=fields.get("name", est.name)),
    )


def close_establishment(actor: User | None, est: Establishment, reason: str) -> None:
    """Mark an establishment closed (never deleted), keeping its history."""
    est.active = False
    est.closed_at = utcnow()
    est.closed_reason = reason
    audit.record(
        actor,
        "close",
        est,
        audit.message("establishment.close", name=est.name, reason=reason),
        {"reason": reason},
    )


def reopen_establishment(actor: User | None, est: Establishment) -> None:
    """Undo a close made in error."""
    est.active = True
    est.closed_at = None
    audit.record(actor, "reopen", est, audit.message("establishment.reopen", name=est.name))


def establishment_matches(q: str) -> list:
    """Conditions for a search box: part of the name or licence number, or the placard code."""
    like = f"%{q.strip()}%"
    return [
        Establishment.name.ilike(like),
        Establishment.licence_no.ilike(like),
        Establishment.short_code == normalise_short_code(q),  # as printed: ABCD EFGH
    ]


def search_establishments(
    user: User,
    q: str = "",
    category: str = "",
    jurisdiction_id: int | None = None,
    active: str = "active",
) -> Select:
    """The establishments a user may see, filtered as the registry list asks."""
    stmt = db.select(Establishment).where(establishment_scope(user))
    if q:
        address = Establishment.address.ilike(f"%{q.strip()}%")
        stmt = stmt.where(or_(*establishment_matches(q), address))
    if category:
        stmt = stmt.where(Establishment.category == category)
    if jurisdiction_id:
        stmt = stmt.where(Establishment.jurisdiction_id.in_(unit_and_below(jurisdiction_id)))
    if active in ("active", "closed"):
        stmt = stmt.where(Establishment.active.is_(active == "active"))
    # Each row shows its street office and community: two queries a page, not two a row.
    areas = selectinload(Establishment.jurisdiction).selectinload(Jurisdiction.parent)
    return stmt.options(areas).order_by(Establishment.name, Establishment.id)


def unit_and_below(jurisdiction_id: int) -> Select:
    """A subquery of a jurisdiction's id and its direct children's (the tree is two deep)."""
    return db.select(Jurisdiction.id).where(
        or_(Jurisdiction.id == jurisdiction_id, Jurisdiction.parent_id == jurisdiction_id)
    )


def licence_taken(licence_no: str | None, except_id: int | None = None) -> bool:
    """Whether another establishment already holds this licence number."""
    if not licence_no:
        return False
    stmt = db.select(Establishment.id).where(Establishment.licence_no == licence_no)
    if except_id:
        stmt = stmt.where(Establishment.id != except_id)
    return db.session.scalar(stmt) is not None


def counts_by_street() -> tuple[list[Jurisdiction], dict[tuple[int, str], int]]:
    """Active establishments counted by street office (or zone) and category."""
    leaf, top = aliased(Jurisdiction), aliased(Jurisdiction)
    rows = db.session.execute(
        db.select(top.id, Establishment.category, func.count(Establishment.id))
        .join(leaf, Establishment.jurisdiction_id == leaf.id)
        .join(top, top.id == func.coalesce(leaf.parent_id, leaf.id))
        .where(Establishment.active.is_(True))
        .group_by(top.id, Establishment.category)
    )
    table = {(street_id, category): n for street_id, category, n in rows}
    streets = db.session.scalars(
        db.select(Jurisdiction).where(Jurisdiction.parent_id.is_(None)).order_by(Jurisdiction.code)
    )
    return list(streets), table
