"""Display labels for programme and outcome codes used in drill-downs and reports."""

from flask_babel import lazy_gettext as _l

PROGRAMMES = {
    "five_goods": _l("农村食品经营店“五好”"),
    "school_canteen": _l("学校食堂"),
    "market": _l("农贸市场风险分级"),
    "three_small": _l("“三小”日常监管"),
    "catering": _l("餐饮量化分级"),
}
OUTCOMES = {"compliant": _l("符合"), "basic": _l("基本符合"), "noncompliant": _l("不符合")}
SUBJECTS = {
    "establishment": _l("单位"),
    "village": _l("村"),
    "action": _l("挂账隐患"),
    "complaint": _l("投诉举报"),
}


def label(table: dict, code: str | None) -> str:
    """The label for a code, the code itself when unknown, '' for none."""
    return "" if code is None else str(table.get(code, code))
