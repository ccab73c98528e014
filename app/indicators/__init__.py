"""The plan's task indicators: declared registry, periods, roll-up SQL and drill-down."""

from app.indicators.catalogue import INDICATORS, Indicator, get_indicator
from app.indicators.periods import Period, PeriodError, parse_period

__all__ = ["INDICATORS", "Indicator", "Period", "PeriodError", "get_indicator", "parse_period"]
