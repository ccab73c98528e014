"""The complaint clocks of 市场监督管理投诉举报处理暂行办法, in working days.

投诉 (a consumer's own dispute): accepted or not within 7 working days of receipt (Art 14),
then handled within 15 working days of acceptance, once extendable by 15. 举报 (a report
of a violation): its clues checked, and the decision taken, within 15 working days of
receipt, once extendable by 15 (Art 23). A named reporter who left a phone number is told
the decision within 5 working days (Art 31). Every count is app.core.workdays'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.clock import local_date, local_today
from app.core.labels import COMPLAINT_STEP_LABELS
from app.core.workdays import COMPLAINT_ACCEPT_DAYS as ACCEPT_DAYS
from app.core.workdays import COMPLAINT_EXTENSION_DAYS as EXTENSION_DAYS
from app.core.workdays import COMPLAINT_NOTIFY_DAYS as NOTIFY_DAYS
from app.core.workdays import COMPLAINT_WORKING_DAYS as CHECK_DAYS
from app.core.workdays import Deadline, working_deadline
from app.models import Complaint


@dataclass(frozen=True)
class Step:
    """One clocked step: what, its deadline, and the local date it was done (or None)."""

    key: str
    deadline: Deadline
    done_on: date | None

    @property
    def label(self):
        """The step's name."""
        return COMPLAINT_STEP_LABELS[self.key]

    def late(self, today: date) -> bool:
        """Done after its deadline, or not done and the deadline has passed."""
        return self.deadline.overdue(today, self.done_on)


def received_on(c: Complaint) -> date:
    """The local date the complaint came in (day 0 of every clock)."""
    return local_date(c.created_at)


def extra_days(c: Complaint) -> int:
    """The one-time extension's 15 working days, once granted."""
    return EXTENSION_DAYS if c.extended_at else 0


def wants_notice(c: Complaint) -> bool:
    """A named reporter who left a number is told the decision (Art 31)."""
    return bool(c.reporter_name and c.phone)


def steps(c: Complaint) -> list[Step]:
    """The clocked steps of a complaint, in order (later ones appear once they start)."""
    received, decided, closed = received_on(c), local_date(c.decided_at), local_date(c.closed_at)
    if c.kind == "complaint":
        out = [Step("accept", working_deadline(received, ACCEPT_DAYS), decided)]
        if c.decision == "accepted":
            due = working_deadline(decided, CHECK_DAYS + extra_days(c))
            out.append(Step("handle", due, closed))
    else:
        done = min(d for d in (decided, closed, date.max) if d)
        due = working_deadline(received, CHECK_DAYS + extra_days(c))
        out = [Step("check", due, None if done == date.max else done)]
    if decided and wants_notice(c):
        out.append(Step("notify", working_deadline(decided, NOTIFY_DAYS), c.notified_on))
    return out


def next_step(c: Complaint) -> Step | None:
    """The first step not done yet: its deadline is the one the queue shows."""
    return next((s for s in steps(c) if s.done_on is None), None)


def complaint_deadline(c: Complaint) -> Deadline:
    """The deadline to show: the next step's, else the last step's."""
    step = next_step(c) or steps(c)[-1]
    return step.deadline


def complaint_late(c: Complaint, today: date | None = None) -> bool:
    """Any step done late, or not done past its deadline."""
    today = today or local_today()
    return any(s.late(today) for s in steps(c))


def stage(c: Complaint) -> str:
    """Where the complaint is: 待受理/核查中, 办理中/已受理, 不予受理, 已办结."""
    if c.decision == "rejected":
        return "rejected"
    if c.state == "closed":
        return "closed"
    if not c.decision:
        return "accept" if c.kind == "complaint" else "check"
    return "handle" if c.kind == "complaint" else "accepted"


def can_extend(c: Complaint) -> bool:
    """The 15-day extension: once, on a report's check or an accepted complaint's handling."""
    if c.extended_at or c.state == "closed":
        return False
    return (c.kind == "report" and not c.decision) or (
        c.kind == "complaint" and c.decision == "accepted"
    )
