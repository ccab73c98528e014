"""The plan's task indicators: declared registry, periods, roll-up SQL and drill-down."""

from app.indicators.periods import Period, PeriodError, parse_period
from app.indicators.registry import INDICATORS, Indicator, get_indicator

__all__ = ["INDICATORS", "Indicator", "Period", "PeriodError", "get_indicator", "parse_period"]
