"""The office indicator counts complaints on time by the rules' clocks (2024 国庆 included)."""

from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.rollup import Figure, make_scope, rollup
from app.models import Complaint
from tests.indicators.conftest import local

Q3 = parse_period("2024Q3")


def figure(now):
    return rollup(get_indicator("complaints_15_days"), make_scope(Q3, None, now=now))[None]


def row(est, kind, created, decided=None, closed=None, decision="", extended=False):
    c = Complaint(
        establishment_id=est.id,
        text="t",
        sender_hash="h",
        kind=kind,
        created_at=created,
        decided_at=decided,
        closed_at=closed,
        decision=decision,
        extended_at=decided if extended else None,
        state="closed" if closed else ("in_progress" if decision else "open"),
    )
    db.session.add(c)
    db.session.commit()
    return c


def test_complaints_counted_by_the_new_clocks(city, at):
    est = at()
    # 投诉 of Fri 09-27: accepted by 10-12 (the 调休 Saturday, 7th working day), closed in 15
    row(est, "complaint", local(2024, 9, 27), local(2024, 10, 12), local(2024, 10, 25), "accepted")
    # accepted on the 8th working day: late, whatever follows
    row(est, "complaint", local(2024, 9, 27), local(2024, 10, 14), local(2024, 10, 15), "accepted")
    # refused in time: done
    row(est, "complaint", local(2024, 9, 27), local(2024, 9, 30), local(2024, 9, 30), "rejected")
    # 举报 of 09-25, extended once, decided on its 30th working day (11-11): on time
    row(est, "report", local(2024, 9, 25), local(2024, 11, 11), None, "accepted", extended=True)
    # 举报 of 09-25 decided on 10-22 without extension: late (its 15th was 10-21)
    row(est, "report", local(2024, 9, 25), local(2024, 10, 22), None, "accepted")
    assert figure(local(2024, 12, 31)) == Figure(3, 5)


def test_pending_steps_are_not_counted_until_their_deadline(city, at):
    est = at()
    row(est, "complaint", local(2024, 9, 27))  # undecided, due 10-12
    row(est, "complaint", local(2024, 9, 27), local(2024, 9, 30), None, "accepted")  # due 10-25
    assert figure(local(2024, 10, 12, 20)) == Figure(0, 0)
    assert figure(local(2024, 10, 14, 9)) == Figure(0, 1)  # the undecided one is late
    assert figure(local(2024, 10, 28, 9)) == Figure(0, 2)
