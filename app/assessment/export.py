"""The assessment as a workbook: the ranking, each indicator's rate and points, the rule."""

from __future__ import annotations

from typing import BinaryIO

from flask_babel import gettext as _

from app.assessment.scoring import RULE, Score
from app.core.tabular import xlsx_file
from app.indicators.periods import Period


def rounded(value: float | None, digits: int = 1):
    """A number for a cell; empty when not counted."""
    return "" if value is None else round(value, digits)


def ranking_sheet(scores: list[Score]) -> tuple[list[str], list[list]]:
    """One row per street office: rank, score, then rate and points per indicator."""
    headers = [_("排名"), _("街道"), _("得分")]
    parts = scores[0].parts if scores else []
    for part in parts:
        title = part.indicator.title_text
        headers += [f"{title} {_('完成率')}", f"{title} {_('得分')}"]
    rows = []
    for s in scores:
        row = [s.rank or "", s.unit.name, rounded(s.score)]
        for part in s.parts:
            row += [
                rounded(None if part.ratio is None else part.figure.value * 100),
                rounded(part.points),
            ]
        rows.append(row)
    return headers, rows


def weights_sheet(scores: list[Score]) -> tuple[list[str], list[list]]:
    """The weights used and the rule, so the workbook explains itself."""
    headers = [_("指标"), _("目标"), _("权重")]
    parts = scores[0].parts if scores else []
    rows = [
        [p.indicator.title_text, p.indicator.target_text, p.weight or _("未计入考核")]
        for p in parts
    ]
    return headers, [*rows, [], [str(RULE)]]


def assessment_file(period: Period, scores: list[Score]) -> BinaryIO:
    """The workbook (rewound; the caller closes it)."""
    return xlsx_file(
        {
            _("考核 %(p)s", p=period.code): ranking_sheet(scores),
            _("权重与规则"): weights_sheet(scores),
        }
    )
