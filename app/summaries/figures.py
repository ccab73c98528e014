"""The figures a summary is prefilled with: the report's own data for the lead department."""

from __future__ import annotations

from app.indicators.periods import Period
from app.indicators.reports import met_text, report_data


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
    }
