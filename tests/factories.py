"""Building blocks for tests: a small city, users per role, establishments."""

import itertools
from types import SimpleNamespace

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Jurisdiction, User
from app.registry.establishments import create_establishment

PASSWORD = "correct-horse"
# A cheap hash keeps the suite fast; production uses werkzeug's default (scrypt).
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_serial = itertools.count(1)


def make_jurisdiction(code: str, name: str, kind: str = "street", parent=None) -> Jurisdiction:
    """A jurisdiction, flushed so it has an id."""
    unit = Jurisdiction(code=code, name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(username: str, role: str, jurisdictions=(), active: bool = True) -> User:
    """A user whose password is PASSWORD."""
    user = User(
        username=username,
        display_name=f"{username} 测试",
        role=role,
        password_hash=FAST_HASH,
        active=active,
    )
    user.jurisdictions = list(jurisdictions)
    db.session.add(user)
    db.session.flush()
    return user


def make_city() -> SimpleNamespace:
    """Two street offices, a community and a village under each, and one user per role."""
    north = make_jurisdiction("XQ", "新区街道")
    south = make_jurisdiction("DQ", "东区街道")
    north_c = make_jurisdiction("XQ-01", "新华社区", "community", north)
    north_v = make_jurisdiction("XQ-02", "石河村", "village", north)
    south_c = make_jurisdiction("DQ-01", "东区社区", "community", south)
    south_v = make_jurisdiction("DQ-02", "苗村", "village", south)
    city = SimpleNamespace(
        north=north, south=south, north_c=north_c, north_v=north_v, south_c=south_c, south_v=south_v
    )
    city.admin = make_user("admin", "admin")
    city.inspector = make_user("inspector", "inspector", [north])
    city.other_inspector = make_user("inspector2", "inspector", [south])
    city.viewer = make_user("viewer", "viewer")
    db.session.commit()
    return city


def make_establishment(city, **fields):
    """An establishment, committed; defaults to a rural shop in the north community."""
    n = next(_serial)
    values = {
        "name": f"测试商店{n}",
        "category": "rural_shop",
        "jurisdiction_id": city.north_c.id,
        "address": f"测试路{n}号",
        "licence_no": f"JY{n:06d}",
    }
    values.update(fields)
    est = create_establishment(None, **values)
    db.session.commit()
    return est


def make_checklist_version(programme: str = "five_goods"):
    """The stored test version of a programme, created on first use (one per database)."""
    from app.models import ChecklistVersion

    found = db.session.scalar(db.select(ChecklistVersion).filter_by(programme=programme))
    if found is None:
        found = ChecklistVersion(programme=programme, version="t1", title=programme, content={})
        db.session.add(found)
        db.session.flush()
    return found
