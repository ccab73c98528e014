"""The dashboard's figures: cards with a four-quarter trend, and street office × indicator."""

from __future__ import annotations

from dataclasses import dataclass

from app.indicators.catalogue import INDICATORS, Indicator
from app.indicators.charts import trend_svg
from app.indicators.periods import Period, last_quarters
from app.indicators.rollup import Figure, make_scope, rollup_all, top_units
from app.indicators.sql import Scope


@dataclass
class Card:
    indicator: Indicator
    figure: Figure
    met: bool | None
    trend: list  # [(quarter label, value, met)]
    chart: object


def quarter_label(q: Period) -> str:
    return f"{q.start.year % 100:02d}Q{(q.start.month - 1) // 3 + 1}"


def figures_over_time(period: Period, jurisdiction: str | None, indicators=INDICATORS):
    """(figures for the period, [(quarter, figures)] for the last four quarters)."""
    base = make_scope(period, jurisdiction)
    series = []
    for quarter in last_quarters(period, 4):
        scope = Scope(quarter, base.unit_ids, now=base.now, today=base.today)
        series.append((quarter, rollup_all(scope, indicators)))
    if series and series[-1][0] == period:
        return series[-1][1], series
    return rollup_all(base, indicators), series


def build_dashboard(period: Period, jurisdiction: str | None = None, indicators=INDICATORS) -> dict:
    """Everything the dashboard shows for a period and optional jurisdiction code."""
    current, series = figures_over_time(period, jurisdiction, indicators)
    cards = []
    for ind in indicators:
        fig = current[ind.code][None]
        trend = [
            (quarter_label(q), figs[ind.code][None].value, ind.met(figs[ind.code][None].value))
            for q, figs in series
        ]
        chart = trend_svg(trend, ind.target, ind.title_text)
        cards.append(Card(ind, fig, ind.met(fig.value), trend, chart))
    tops = [u for u in top_units(period) if any(u.id in current[i.code] for i in indicators)]
    if jurisdiction is None:
        tops = top_units(period)
    return {"period": period, "cards": cards, "tops": tops, "current": current}
