"""The hazard ledger: which failures open entries, the state machine, overdue by local day."""

from datetime import UTC, date, datetime

import pytest

from app.core import clock as i18n
from app.extensions import db
from app.inspections import ledger
from app.models import AuditEvent, LedgerEntry
from tests.factories import answer

DUE = date(2024, 6, 10)


@pytest.mark.parametrize(
    "result, handling, opens",
    [
        ("fail", "deadline", True),
        ("fail", "investigate", True),
        ("fail", "stop", True),
        ("fail", "on_spot", False),
        ("fail", None, False),
        ("pass", "deadline", False),
        ("na", None, False),
    ],
)
def test_a_failed_item_opens_an_entry_by_its_handling(
    make_establishment, make_inspection, result, handling, opens
):
    est = make_establishment()
    inspection = make_inspection(est, answers={"a1": answer(result, handling, DUE)})
    entries = ledger.open_actions(inspection)
    assert (len(entries) == 1) is opens
    if opens:
        (entry,) = entries
        assert (entry.establishment_id, entry.inspection_id, entry.item_id) == (
            est.id,
            inspection.id,
            "a1",
        )
        assert (entry.item_text, entry.handling, entry.due_date, entry.state) == (
            "检查项 a1",
            handling,
            DUE,
            "open",
        )


def test_opening_is_idempotent_and_audited(city, make_establishment, make_inspection):
    inspection = make_inspection(
        make_establishment(),
        answers={"a1": answer("fail", "deadline", DUE), "a2": answer("fail", "stop", DUE)},
    )
    first = ledger.open_actions(inspection)
    db.session.commit()
    again = ledger.open_actions(inspection)
    assert {e.id for e in again} == {e.id for e in first}
    assert db.session.scalar(db.select(db.func.count()).select_from(LedgerEntry)) == 2
    opened = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "action", AuditEvent.action == "open")
    ).all()
    assert len(opened) == 2 and all(e.user_id == city.inspector.id for e in opened)


def test_an_amended_inspection_does_not_reopen_its_items(make_establishment, make_inspection):
    est = make_establishment()
    original = make_inspection(est, answers={"a1": answer("fail", "deadline", DUE)})
    ledger.open_actions(original)
    original.superseded = True
    revision = make_inspection(
        est,
        answers={"a1": answer("fail", "deadline", DUE), "a3": answer("fail", "investigate", DUE)},
        amends=original,
        revision=2,
    )
    entries = ledger.open_actions(revision)
    assert len(entries) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(LedgerEntry)) == 2


def entry(make_establishment, make_inspection, **kw):
    inspection = make_inspection(
        make_establishment(**kw), answers={"a1": answer("fail", "deadline", DUE)}
    )
    return ledger.open_actions(inspection)[0]


def test_the_normal_path_open_rectified_verified(city, make_establishment, make_inspection):
    action = entry(make_establishment, make_inspection)
    ledger.rectify(city.inspector, action, "已更换防蝇帘")
    assert (
        action.state == "rectified"
        and action.rectified_at
        and action.rectification_note == "已更换防蝇帘"
    )
    follow_up = make_inspection(action.establishment)
    ledger.verify(city.inspector, action, follow_up, "复查合格")
    assert action.state == "verified"
    assert action.verified_at and action.verified_by_id == city.inspector.id
    assert action.verifying_inspection_id == follow_up.id
    moves = db.session.scalars(
        db.select(AuditEvent.action)
        .where(AuditEvent.entity == "action", AuditEvent.entity_id == action.id)
        .order_by(AuditEvent.id)
    ).all()
    assert moves == ["open", "rectify", "verify"]


def test_escalated_entries_may_still_be_verified(city, make_establishment, make_inspection):
    action = entry(make_establishment, make_inspection)
    ledger.escalate(city.admin, action, "移交立案")
    assert action.state == "escalated" and action.escalated_at
    ledger.verify(city.inspector, action)
    assert action.state == "verified" and action.verifying_inspection_id is None


@pytest.mark.parametrize(
    "path, refused",
    [
        (["verify"], "rectify"),
        (["verify"], "escalate"),
        (["verify"], "verify"),
        (["rectify"], "rectify"),
        (["escalate"], "escalate"),
        (["escalate"], "rectify"),
    ],
)
def test_the_state_machine_refuses_illegal_moves(
    city, make_establishment, make_inspection, path, refused
):
    action = entry(make_establishment, make_inspection)
    for move in path:
        getattr(ledger, move)(city.admin, action, note="x")
    state = action.state
    with pytest.raises(ledger.IllegalTransition):
        getattr(ledger, refused)(city.admin, action, note="x")
    assert action.state == state


def test_verifying_with_another_establishments_inspection_is_refused(
    city, make_establishment, make_inspection
):
    action = entry(make_establishment, make_inspection)
    other = make_inspection(make_establishment())
    with pytest.raises(ledger.IllegalTransition):
        ledger.verify(city.inspector, action, other)
    assert action.state == "open"


def freeze(monkeypatch, instant: datetime):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant

    monkeypatch.setattr(i18n, "datetime", Frozen)


@pytest.mark.parametrize(
    "due, utc_instant, overdue",
    [
        (date(2024, 6, 12), datetime(2024, 6, 12, 15, 59, tzinfo=UTC), False),  # 23:59 in Shanghai
        (date(2024, 6, 12), datetime(2024, 6, 12, 16, 0, tzinfo=UTC), True),  # 00:00 the next day
        # due on 端午节 (Monday 2024-06-10, a public holiday): the period ends on the 11th
        (DUE, datetime(2024, 6, 10, 16, 0, tzinfo=UTC), False),
        (DUE, datetime(2024, 6, 11, 16, 0, tzinfo=UTC), True),
    ],
)
def test_overdue_turns_at_midnight_in_shanghai(
    monkeypatch, make_establishment, make_inspection, due, utc_instant, overdue
):
    action = entry(make_establishment, make_inspection)
    action.due_date = due
    db.session.flush()
    freeze(monkeypatch, utc_instant)
    assert ledger.is_overdue(action) is overdue
    in_sql = db.session.scalars(db.select(LedgerEntry.id).where(ledger.overdue_clause())).all()
    assert (action.id in in_sql) is overdue


def test_verified_entries_are_never_overdue(city, make_establishment, make_inspection):
    action = entry(make_establishment, make_inspection)
    ledger.verify(city.inspector, action)
    assert not ledger.is_overdue(action, today=date(2025, 1, 1))


def test_open_entries_for_an_establishment(city, make_establishment, make_inspection):
    est = make_establishment()
    inspection = make_inspection(
        est, answers={f"a{i}": answer("fail", "deadline", date(2024, 6, 10 + i)) for i in range(4)}
    )
    a0, a1, a2, a3 = ledger.open_actions(inspection)
    ledger.rectify(None, a1, "x")
    ledger.escalate(None, a2, "x")
    ledger.verify(None, a3)
    assert ledger.open_entries_for(est) == [a0, a1, a2]


def test_ledger_lists_are_scoped_and_put_overdue_first(city, make_establishment, make_inspection):
    north = make_inspection(
        make_establishment(),
        answers={
            "late": answer("fail", "deadline", date(2024, 6, 1)),
            "soon": answer("fail", "deadline", date(2024, 6, 20)),
        },
    )
    south = make_inspection(
        make_establishment(jurisdiction_id=city.south_c.id),
        answers={"s": answer("fail", "stop", date(2024, 6, 5))},
    )
    late, soon = ledger.open_actions(north)
    (s,) = ledger.open_actions(south)
    today = date(2024, 6, 10)

    def ids(user, **kw):
        return [a.id for a in db.session.scalars(ledger.ledger_query(user, today=today, **kw))]

    assert ids(city.inspector, overdue_first=True) == [late.id, soon.id]
    assert ids(city.other_inspector) == [s.id]
    assert ids(city.admin) == [late.id, s.id, soon.id]
    assert ids(city.admin, overdue=True) == [late.id, s.id]
    assert ids(city.admin, jurisdiction_id=city.south.id) == [s.id]
    ledger.verify(None, late)
    assert ids(city.admin, state="live") == [s.id, soon.id]
    assert ids(city.admin, state="verified") == [late.id]
    assert ledger.visible_entry(city.inspector, s.id) is None
