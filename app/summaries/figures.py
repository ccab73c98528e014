"""The figures a summary is prefilled with: the report's own data for the lead department.

Live while a summary is a draft; at submit they are frozen (freeze) into the summary's
frozen_figures, and a submitted summary shows those (thaw), so a later view or download
shows what the department sent, not the figures as they stand today.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.labels import in_reader_language
from app.indicators.periods import Period
from app.indicators.reports import met_text, report_data
from app.indicators.rollup import Figure

FROZEN_VERSION = 1


def figures(period: Period, lead: str) -> dict:
    """The lead department's indicators (this period and the previous one) and the city's
    inspections, ledger and complaints totals, as the quarterly report counts them."""
    data = report_data(period, lead)
    return {
        "period": period,
        "previous": data["previous"],
        "indicators": [dict(r, met_text=met_text(r["met"])) for r in data["indicators"]],
        "inspections": sum(r["total"] for r in data["inspections"]),
        "ledger": data["ledger"][-1][1:],  # the 合计 row: opened, closed, overdue at the end
        "complaints": data["complaints"][-1][1:],  # received, closed, open at the end
        "frozen": False,
    }


def summary_figures(summary, period: Period, lead: str) -> dict:
    """What the page and the Word file show: the frozen figures of a submitted summary,
    the live ones otherwise (a draft, no summary yet, or submitted before freezing)."""
    if summary is not None and summary.state == "submitted" and summary.frozen_figures:
        return thaw(summary.frozen_figures, period)
    return figures(period, lead)


@dataclass(frozen=True)
class FrozenIndicator:
    """An indicator's title and target as they were at submit (the catalogue may change)."""

    code: str
    title: str
    title_en: str
    comparator: str
    target: float

    @property
    def title_text(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def target_text(self) -> str:
        greater = in_reader_language("＞", ">")
        return f"{greater if self.comparator == '>' else '≥'}{self.target * 100:g}%"


def plain(value):
    """A count as JSON keeps it: an int when whole (PostgreSQL sums are Decimal)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def freeze(figs: dict) -> dict:
    """The figures as plain JSON: counts, not objects, so they can be stored."""
    return {
        "version": FROZEN_VERSION,
        "indicators": [
            {
                "code": r["ind"].code,
                "title": r["ind"].title,
                "title_en": r["ind"].title_en,
                "comparator": r["ind"].comparator,
                "target": r["ind"].target,
                "now": [plain(r["now"].num), plain(r["now"].den)],
                "prev": [plain(r["prev"].num), plain(r["prev"].den)],
                "met": r["met"],
            }
            for r in figs["indicators"]
        ],
        "inspections": plain(figs["inspections"]),
        "ledger": [plain(v) for v in figs["ledger"]],
        "complaints": [plain(v) for v in figs["complaints"]],
    }


def thaw(data: dict, period: Period) -> dict:
    """Frozen figures in the shape figures() returns, marked frozen."""
    rows = []
    for r in data["indicators"]:
        ind = FrozenIndicator(
            r["code"], r["title"], r.get("title_en", ""), r["comparator"], r["target"]
        )
        rows.append(
            {
                "ind": ind,
                "now": Figure(*r["now"]),
                "prev": Figure(*r["prev"]),
                "met": r["met"],
                "met_text": met_text(r["met"]),
            }
        )
    return {
        "period": period,
        "previous": period.previous(),
        "indicators": rows,
        "inspections": data["inspections"],
        "ledger": list(data["ledger"]),
        "complaints": list(data["complaints"]),
        "frozen": True,
    }
