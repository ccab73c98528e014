"""Who may see and change what: the role sets, and jurisdiction scope as SQL.

The role sets are named here once; routes guard with them (app.web.guards) and templates
ask the helpers below instead of testing role strings.
"""

from sqlalchemy import ColumnElement, true, union
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Establishment, Jurisdiction, PlanVisit, User

ADMIN = ("admin",)  # changes the registers, users and settings
OFFICE = ("admin", "viewer")  # reads the office pages and the whole city
FIELD = ("inspector", "admin")  # runs inspections, takes photos, works the ledger
INSPECTOR = ("inspector",)  # field work in the assigned jurisdictions only
COMPLAINT_READERS = ("admin", "viewer", "inspector")
COMPLAINT_HANDLERS = ("admin", "inspector")
# Review results before publication (审核); never their own (app.publication.review).
REVIEWERS = ("admin",)
# Write and submit a lead department's summary (工作总结): admins (ADMIN) any department's,
# these roles only that of the lead department set on the account (User.lead); inspectors
# never (app.summaries.service.may_edit).
DEPARTMENT_WRITERS = ("viewer",)


def can_edit(user) -> bool:
    """Whether the user may change the registers (admins only)."""
    return getattr(user, "role", None) in ADMIN


def is_office(user) -> bool:
    """Whether the user reads the office pages."""
    return getattr(user, "role", None) in OFFICE


def is_field(user) -> bool:
    """Whether the user runs inspections in the field."""
    return getattr(user, "role", None) in FIELD


def is_inspector(user) -> bool:
    """Whether the user is an inspector (not an admin doing field work)."""
    return getattr(user, "role", None) in INSPECTOR


def covered_jurisdiction_ids(user: User) -> set[int]:
    """The jurisdictions an inspector covers: those assigned and every unit below them."""
    ids = {j.id for j in user.jurisdictions}
    frontier = set(ids)
    while frontier:
        rows = db.session.scalars(
            db.select(Jurisdiction.id).where(Jurisdiction.parent_id.in_(frontier))
        )
        frontier = set(rows) - ids
        ids |= frontier
    return ids


def sees_everything(user: User) -> bool:
    """Admins and viewers read the whole city; inspectors only their area."""
    return is_office(user)


def establishment_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting establishments to those the user may see."""
    if sees_everything(user):
        return true()
    # One IN over a UNION, not "in the area OR drawn": the OR made PostgreSQL read every
    # establishment of a province for an inspector's page (bench/rollup.py, issue #15).
    own = aliased(Establishment, name="own")
    area = db.select(own.id).where(own.jurisdiction_id.in_(covered_jurisdiction_ids(user)))
    return Establishment.id.in_(union(area, drawn_establishments(user)))


def area_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause for the establishments of the user's own area (all for the office)."""
    if sees_everything(user):
        return true()
    return Establishment.jurisdiction_id.in_(covered_jurisdiction_ids(user))


def drawn_establishments(user: User):
    """Units outside the area a plan draw (双随机) sent this user to, as lead or partner."""
    return db.select(PlanVisit.establishment_id).where(
        (PlanVisit.lead_inspector_id == user.id) | (PlanVisit.partner_id == user.id),
        PlanVisit.status != "cancelled",
    )


def visible_establishment(user: User, establishment_id: int) -> Establishment | None:
    """The establishment if the user may see it, else None."""
    return db.session.scalar(
        db.select(Establishment).where(
            Establishment.id == establishment_id, establishment_scope(user)
        )
    )
