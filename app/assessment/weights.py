"""The assessment weights: indicator code → weight, read from weights.toml and checked."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from flask_babel import gettext as _

from app.indicators.catalogue import BY_CODE


class WeightsError(ValueError):
    """A weights file that cannot be used; the message says why, in Chinese."""


def parse_weights(text: str, known=BY_CODE) -> dict[str, float]:
    """{code: weight} from TOML text; unknown codes and bad weights are refused."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WeightsError(_("考核权重文件格式有误：%(e)s", e=str(exc))) from exc
    table = data.get("weights")
    if not isinstance(table, dict):
        raise WeightsError(_("考核权重文件缺少 [weights] 表。"))
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise WeightsError(_("考核权重文件含未知的指标代码：%(c)s", c="、".join(unknown)))
    return {code: checked_weight(code, value) for code, value in table.items()}


def checked_weight(code: str, value) -> float:
    """A weight: a number not below zero."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise WeightsError(_("指标 %(c)s 的权重须为不小于 0 的数。", c=code))
    return float(value)


@cache
def shipped_weights() -> dict[str, float]:
    """The weights shipped in app/assessment/weights.toml (read once)."""
    text = resources.files("app.assessment").joinpath("weights.toml").read_text("utf-8")
    return parse_weights(text)
