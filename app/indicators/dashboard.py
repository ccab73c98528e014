"""The dashboard's figures: cards with a four-quarter trend, and street office × indicator."""

from __future__ import annotations

from dataclasses import dataclass

from app.indicators.cache import cached_rollups
from app.indicators.catalogue import INDICATORS, Indicator
from app.indicators.charts import trend_svg
from app.indicators.periods import Period, last_quarters
from app.indicators.rollup import Figure, make_scope, top_units
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
    """(figures for the period, [(quarter, figures)] for the last four quarters).

    From the roll-up cache (app.indicators.cache): equal to the live figures, computed only
    where a table they read changed since."""
    base = make_scope(period, jurisdiction)
    quarters = last_quarters(period, 4)
    scopes = [Scope(q, base.unit_ids, now=base.now, today=base.today) for q in quarters]
    if not (quarters and quarters[-1] == period):
        scopes.append(base)
    figures = cached_rollups(scopes, indicators)
    series = list(zip(quarters, figures, strict=False))
    return figures[-1], series


def warm_dashboards(period: Period) -> list[str | None]:
    """The dashboard's figures for the city and each street office, computed into the
    roll-up cache; returns the jurisdiction codes (None: the whole city)."""
    codes = [None, *(unit.code for unit in top_units(period))]
    for code in codes:
        figures_over_time(period, code)
    return codes


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
