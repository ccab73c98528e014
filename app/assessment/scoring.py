"""Scoring street offices from the indicators' roll-up (no figure is computed a second way)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.assessment.weights import shipped_weights
from app.indicators.catalogue import INDICATORS, Indicator
from app.indicators.periods import Period
from app.indicators.rollup import Figure, make_scope, rollup_all, top_units
from app.models import Jurisdiction

RULE = _l(
    "得分 = Σ 权重 × min(1, 完成率 ÷ 目标值) ÷ Σ 计入的权重 × 100。"
    "完成率取自指标看板同一统计期的街道数据；某街道某指标没有可统计的对象（分母为 0）时，"
    "该指标不计入该街道，其余指标的权重按比例放大；权重为 0 或未列入权重文件的指标“未计入考核”。"
    "完成率达到目标即得该指标全部分值。"
)


@dataclass(frozen=True)
class Part:
    """One indicator's share of one street office's score."""

    indicator: Indicator
    weight: float
    figure: Figure
    ratio: float | None  # min(1, rate / target); None when not counted
    points: float | None  # its points out of 100 after renormalising


@dataclass(frozen=True)
class Score:
    """A street office's score (None when no weighted indicator has anything to count)."""

    unit: Jurisdiction
    score: float | None
    parts: list[Part]
    rank: int | None = None


def attainment(indicator: Indicator, figure: Figure) -> float | None:
    """min(1, rate / target); None when there is nothing to count."""
    if figure.value is None:
        return None
    if indicator.target <= 0:
        return 1.0
    return min(1.0, figure.value / indicator.target)


def score_unit(unit, figures: dict, weights: dict, indicators=INDICATORS) -> Score:
    """One street office's score from {code: {unit id: Figure}} and {code: weight}."""
    rows = []
    for ind in indicators:
        figure = figures.get(ind.code, {}).get(unit.id, Figure())
        weight = weights.get(ind.code, 0.0)
        rows.append((ind, weight, figure, attainment(ind, figure) if weight else None))
    counted = sum(w for _, w, _, r in rows if r is not None)
    parts = [
        Part(ind, w, fig, r, None if r is None else 100 * w * r / counted)
        for ind, w, fig, r in rows
    ]
    total = sum(p.points for p in parts if p.points is not None) if counted else None
    return Score(unit, total, parts)


def ranked(scores: list[Score]) -> list[Score]:
    """Highest first, equal scores sharing a rank; offices without a score last, unranked."""
    with_score = sorted((s for s in scores if s.score is not None), key=lambda s: -s.score)
    out, rank, previous = [], 0, None
    for place, s in enumerate(with_score, start=1):
        if previous is None or round(s.score, 6) != round(previous, 6):
            rank, previous = place, s.score
        out.append(Score(s.unit, s.score, s.parts, rank))
    return out + [s for s in scores if s.score is None]


def assess(period: Period, weights: dict | None = None, indicators=INDICATORS) -> list[Score]:
    """Every street office's score for a period, ranked, from the dashboard's roll-up."""
    weights = shipped_weights() if weights is None else weights
    figures = rollup_all(make_scope(period), indicators)
    return ranked([score_unit(u, figures, weights, indicators) for u in top_units(period)])


def unweighted(weights: dict | None = None, indicators=INDICATORS) -> list[Indicator]:
    """The indicators listed as 未计入考核 (weight 0 or not in the weights file)."""
    weights = shipped_weights() if weights is None else weights
    return [ind for ind in indicators if not weights.get(ind.code)]
