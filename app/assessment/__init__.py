"""考核: a score per street office from the plan's indicators, weighted as data."""
