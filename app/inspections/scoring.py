"""Every scoring rule of the plan's programmes, one pure function per rule.

Inputs are plain data: a Programme, a mapping item id -> result ("pass" / "fail" / "na")
and a mapping field id -> value. An item missing from the results (or None) is
*unanswered* and counts like "na": for nothing. Submitting is refused before scoring
(see app.answers.validate_answers) while any item is unanswered, so this only matters
for previews of a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from app.checklists.model import DEFAULT_MAX_GENERAL_FAILURES, Item, Programme, Section
from app.core.clock import add_months

Results = Mapping[str, str | None]
Fields = Mapping[str, Any]

DEFAULT_MARKET_BANDS = {"A": 30, "B": 45, "C": 60, "D": 100}  # inclusive upper bounds
DEFAULT_CATERING_BANDS = {"excellent": 90, "good": 75, "fair": 60}  # inclusive lower bounds
DEFAULT_KEY_FAILURE_LIMIT = 2
DEFAULT_ANNUAL = {
    "values": {"excellent": 3, "good": 2, "fair": 1, "none": 0},
    "grade_min": {"A": 2.5, "B": 1.5, "C": 0},
}
# Structured fields copied to Inspection columns when a programme declares them.
COLUMN_FIELDS = ("bright_kitchen_live", "yushi_app_in_use", "staff_count", "staff_trained")


def failed_items(programme: Programme, results: Results) -> list[Item]:
    """The items answered "fail", in checklist order."""
    return [item for item in programme.items if results.get(item.id) == "fail"]


def count_failures(programme: Programme, results: Results) -> tuple[int, int]:
    """(key failures, general failures)."""
    failed = failed_items(programme, results)
    key = sum(1 for item in failed if item.key)
    return key, len(failed) - key


def general_outcome(
    programme: Programme, results: Results, max_general_failures: int | None = None
) -> str:
    """符合/基本符合/不符合 as compliant/basic/noncompliant; na and unanswered count nothing."""
    if max_general_failures is None:
        max_general_failures = programme.param("max_general_failures", DEFAULT_MAX_GENERAL_FAILURES)
    key, general = count_failures(programme, results)
    if key or general > max_general_failures:
        return "noncompliant"
    return "basic" if general else "compliant"


def section_passes(section: Section, results: Results, all_na_passes: bool = False) -> bool:
    """No item failed, and (unless all_na_passes) at least one item passed."""
    answers = [results.get(item.id) for item in section.items]
    if "fail" in answers:
        return False
    return all_na_passes or "pass" in answers


def five_goods_met(programme: Programme, results: Results) -> bool:
    """达标: every section passes; an all-na section fails unless all_na_section_passes."""
    all_na = bool(programme.param("all_na_section_passes", False))
    return all(section_passes(s, results, all_na) for s in programme.sections)


def market_static_score(programme: Programme, fields: Fields) -> int:
    """Static risk points of the chosen choices, capped at static_max.

    A missing or unknown choice counts as the field's worst (highest) points: an
    unknown factor is not assumed to be a safe one.
    """
    total = 0
    for f in programme.fields:
        if f.choices:
            chosen = f.choice(fields.get(f.id))
            total += chosen.points if chosen else max(c.points for c in f.choices)
    return min(total, programme.param("static_max", 40))


def market_dynamic_score(programme: Programme, results: Results) -> int:
    """Dynamic risk points: the points of every failed item, capped at dynamic_max."""
    total = sum(item.points for item in failed_items(programme, results))
    return min(total, programme.param("dynamic_max", 60))


def market_risk_grade(score: int, bands: Mapping[str, int] | None = None) -> str:
    """A-D: the first grade whose inclusive upper bound the score does not exceed."""
    ordered = sorted((bands or DEFAULT_MARKET_BANDS).items(), key=lambda kv: kv[1])
    for grade, upper in ordered:
        if score <= upper:
            return grade
    return ordered[-1][0]


def catering_score(programme: Programme, results: Results) -> int:
    """Start (100) minus the points of every failed item, never below 0."""
    lost = sum(item.points for item in failed_items(programme, results))
    return max(programme.param("start", 100) - lost, 0)


def catering_grade(
    score: int,
    key_failures: int,
    bands: Mapping[str, int] | None = None,
    key_failure_limit: int = DEFAULT_KEY_FAILURE_LIMIT,
) -> str:
    """Dynamic grade excellent/good/fair, or "none" (below fair, or too many key failures)."""
    if key_failures >= key_failure_limit:
        return "none"
    ordered = sorted((bands or DEFAULT_CATERING_BANDS).items(), key=lambda kv: -kv[1])
    return next((grade for grade, lower in ordered if score >= lower), "none")


def catering_annual_grade(
    grades: Iterable[str], params: Mapping[str, Any] | None = None
) -> str | None:
    """A/B/C from the year's dynamic grades by their average value; None with no grades.

    Default values: excellent 3, good 2, fair 1, none 0; average ≥2.5 → A, ≥1.5 → B, else C.
    """
    params = params or DEFAULT_ANNUAL
    values = [params["values"][g] for g in grades]
    if not values:
        return None
    average = sum(values) / len(values)
    ordered = sorted(params["grade_min"].items(), key=lambda kv: -kv[1])
    return next((grade for grade, lower in ordered if average >= lower), ordered[-1][0])


def in_new_permit_grace(
    permit_issued_on: date | None, inspected_on: date | None, months: int = 3
) -> bool:
    """True while the first months after a new permit run (no dynamic catering grade yet)."""
    if permit_issued_on is None or inspected_on is None:
        return False
    return inspected_on < add_months(permit_issued_on, months)


@dataclass(frozen=True)
class Score:
    """What submitting an inspection stores: the Inspection columns, plus a breakdown."""

    outcome: str
    score: int | None = None
    grade: str | None = None
    five_goods_met: bool | None = None
    bright_kitchen_live: bool | None = None
    yushi_app_in_use: bool | None = None
    staff_count: int | None = None
    staff_trained: int | None = None
    details: dict = field(default_factory=dict)

    def columns(self) -> dict[str, Any]:
        """The values for the same-named Inspection columns."""
        data = asdict(self)
        data.pop("details")
        return data


def _score_general(programme: Programme, results: Results, fields: Fields) -> dict:
    return {}


def _score_five_goods(programme: Programme, results: Results, fields: Fields) -> dict:
    return {"five_goods_met": five_goods_met(programme, results)}


def _score_market_risk(programme: Programme, results: Results, fields: Fields) -> dict:
    static = market_static_score(programme, fields)
    dynamic = market_dynamic_score(programme, results)
    grade = market_risk_grade(static + dynamic, programme.param("grade_max"))
    return {"score": static + dynamic, "grade": grade, "static": static, "dynamic": dynamic}


def _score_catering(programme: Programme, results: Results, fields: Fields) -> dict:
    score = catering_score(programme, results)
    key_failures, _ = count_failures(programme, results)
    limit = programme.param("key_failure_limit", DEFAULT_KEY_FAILURE_LIMIT)
    grade = catering_grade(score, key_failures, programme.param("grade_min"), limit)
    return {"score": score, "grade": grade}


RULES: dict[str, Callable[[Programme, Results, Fields], dict]] = {
    "general": _score_general,
    "five_goods": _score_five_goods,
    "market_risk": _score_market_risk,
    "catering": _score_catering,
}


def column_fields(programme: Programme, fields: Fields) -> dict[str, Any]:
    """The declared fields that are also Inspection columns, None when not declared."""
    return {
        name: fields.get(name) if programme.field(name) is not None else None
        for name in COLUMN_FIELDS
    }


def score_inspection(
    programme: Programme,
    results: Results,
    fields: Fields | None = None,
    *,
    permit_issued_on: date | None = None,
    inspected_on: date | None = None,
) -> Score:
    """Outcome plus the programme's own rule (score, grade, five goods) and column fields.

    Catering: within new_permit_grace_months of permit_issued_on the grade is withheld (None).
    """
    fields = fields or {}
    parts = RULES[programme.scoring_rule](programme, results, fields)
    key, general = count_failures(programme, results)
    details = {"key_failures": key, "general_failures": general}
    details |= {k: parts.pop(k) for k in ("static", "dynamic") if k in parts}
    grace = programme.param("new_permit_grace_months")
    if grace is not None and in_new_permit_grace(permit_issued_on, inspected_on, grace):
        parts["grade"], details["grade_withheld"] = None, "new_permit"
    return Score(
        outcome=general_outcome(programme, results),
        details=details,
        **parts,
        **column_fields(programme, fields),
    )
