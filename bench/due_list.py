"""Time the inspector's due list and the office ledger query on a city-sized dataset.

Usage: python bench/due_list.py [establishments]  (default 3000, SQLite in a temp folder)
"""

import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from app import create_app
from app.due.visits import due_list
from app.extensions import db
from app.inspections import ledger
from app.models import ChecklistVersion, Establishment, Inspection, Jurisdiction, LedgerEntry, User


def build(n: int) -> User:
    """n establishments over 10 communities, 3 inspections each, an entry on every 5th."""
    street = Jurisdiction(code="S", name="街道", kind="street")
    units = [
        Jurisdiction(code=f"S-{i}", name=f"社区{i}", kind="community", parent=street)
        for i in range(10)
    ]
    version = ChecklistVersion(programme="p", version="1", title="p", content={})
    inspector = User(
        username="i", display_name="i", password_hash="x", role="inspector", jurisdictions=[street]
    )
    db.session.add_all([street, *units, version, inspector])
    db.session.flush()
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for k in range(n):
        est = Establishment(
            name=f"单位{k}",
            category="rural_shop",
            jurisdiction=units[k % 10],
            risk_grade="ABCD"[k % 4],
            created_at=base,
        )
        db.session.add(est)
        db.session.flush()
        for j in range(3):
            insp = Inspection(
                client_uuid=str(uuid.uuid4()),
                establishment_id=est.id,
                checklist_version_id=version.id,
                programme="p",
                inspector_id=inspector.id,
                status="submitted",
                submitted_at=base + timedelta(days=(k * 7 + j * 40) % 300),
            )
            db.session.add(insp)
            db.session.flush()
        if k % 5 == 0:
            db.session.add(
                LedgerEntry(
                    establishment_id=est.id,
                    inspection_id=insp.id,
                    item_id="x",
                    handling="deadline",
                    due_date=date(2024, 6, 1) + timedelta(days=k % 30),
                )
            )
    db.session.commit()
    return inspector


def timed(label: str, fn, repeat: int = 5):
    best = min(_once(fn) for _ in range(repeat))
    print(f"{label}: {best * 1000:.1f} ms (best of {repeat})")


def _once(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", "SECRET_KEY": "b", "TESTING": True}
        )
        with app.app_context():
            upgrade()
            inspector = build(n)
            today = date(2024, 6, 20)
            rows = due_list(inspector, app.config, today)
            print(f"{n} establishments, {len(rows)} due on {today}")
            timed("due_list", lambda: due_list(inspector, app.config, today))
            timed(
                "ledger overdue-first page",
                lambda: db.session.scalars(
                    ledger.ledger_query(
                        inspector, state="live", overdue_first=True, today=today
                    ).limit(50)
                ).all(),
            )


if __name__ == "__main__":
    main()
