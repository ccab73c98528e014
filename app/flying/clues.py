"""The problem clues a 飞行检查 starts from, and whether each one may start one.

A clue is an accepted 投诉, a 举报 or insider report (内部吹哨人) not rejected
(a flying check is how its clues get checked), a failing sample or rapid test,
a hazard-ledger entry past its due date, or a unit on its own (the office's own reason).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.extensions import db
from app.inspections.ledger import is_overdue
from app.models import Complaint, Establishment, LedgerEntry, Sample

SOURCES = ("complaint", "sample", "ledger", "unit")  # what a start link names (insider: complaint)


@dataclass
class Clue:
    """A clue: its kind as recorded (insider for an insider's report), id, unit and record."""

    kind: str
    id: int | None
    establishment: Establishment
    record: object
    problem: str | None = None  # why it cannot start a flying check (None: it can)


def find_clue(source: str, clue_id: int | None) -> Clue | None:
    """The clue a start link names, or None when there is no such record."""
    if source not in SOURCES or clue_id is None:
        return None
    if source == "unit":
        est = db.session.get(Establishment, clue_id)
        return _checked(Clue("unit", None, est, est)) if est else None
    record = db.session.get(
        {"complaint": Complaint, "sample": Sample, "ledger": LedgerEntry}[source], clue_id
    )
    if record is None:
        return None
    kind = "insider" if source == "complaint" and record.insider else source
    return _checked(Clue(kind, record.id, record.establishment, record))


def _checked(clue: Clue) -> Clue:
    """Set the clue's problem: not accepted, not failing, not overdue, or the unit closed."""
    rec = clue.record
    if clue.kind in ("complaint", "insider") and not usable_complaint(rec):
        clue.problem = _("投诉须已受理、举报须未作不予受理决定，才能发起飞行检查。")
    elif clue.kind == "sample" and rec.result != "fail":
        clue.problem = _("只有不合格的检测结果才能发起飞行检查。")
    elif clue.kind == "ledger" and not is_overdue(rec):
        clue.problem = _("只有逾期未整改的挂账才能发起飞行检查。")
    elif not clue.establishment.active:
        clue.problem = _("该单位已注销或停业，不能发起飞行检查。")
    return clue


def usable_complaint(c: Complaint) -> bool:
    """A 投诉 once accepted (受理); a 举报 or insider's report while it is not rejected."""
    if c.kind == "complaint" and not c.insider:
        return c.decision == "accepted"
    return c.decision != "rejected"


def clue_of(check) -> Clue | None:
    """The clue a flying check was started from, as it is now."""
    source = "complaint" if check.clue_kind == "insider" else check.clue_kind
    return find_clue(source, check.establishment_id if source == "unit" else check.clue_id)


def source_of(kind: str) -> str:
    """The start link's source for a recorded clue kind."""
    return "complaint" if kind == "insider" else kind
