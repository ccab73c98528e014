"""Display labels for the codes stored in the database, one place for every page and export.

Lazy: each renders in the language of the request (exports force Chinese).
"""

from flask_babel import lazy_gettext as _l

PROGRAMMES = {
    "five_goods": _l("农村食品经营店“五好”"),
    "school_canteen": _l("学校食堂"),
    "market": _l("农贸市场风险分级"),
    "three_small": _l("“三小”日常监管"),
    "catering": _l("餐饮量化分级"),
}
OUTCOMES = {"compliant": _l("符合"), "basic": _l("基本符合"), "noncompliant": _l("不符合")}
SMILEYS = {"excellent": _l("优秀"), "good": _l("良好"), "fair": _l("一般"), "none": _l("不予评级")}
HANDLING_LABELS = {
    "on_spot": _l("当场整改"),
    "deadline": _l("书面限期整改"),
    "investigate": _l("调查处理"),
    "stop": _l("停止经营"),
}
LEDGER_STATE_LABELS = {
    "open": _l("待整改"),
    "rectified": _l("已整改待复查"),
    "verified": _l("已销号"),
    "escalated": _l("已升级督办"),
}
SUBJECTS = {
    "establishment": _l("单位"),
    "village": _l("村"),
    "action": _l("挂账隐患"),
    "complaint": _l("投诉举报"),
}


def label(table: dict, code: str | None) -> str:
    """The label for a code, the code itself when unknown, '' for none."""
    return "" if code is None else str(table.get(code, code))
