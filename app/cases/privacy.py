"""What a published case must not show: a person's phone or ID number, an unchosen name."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from app.core import labels
from app.models.establishment import CATEGORIES

# Digits not next to other digits, so a licence or case number holding 11 digits inside a
# longer run is not taken for a phone; full-width digits are folded first (NFKC).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
SEPARATORS = re.compile(r"(?<=\d)[\s\-－—]+(?=\d)")


def folded(text: str) -> str:
    """The text with full-width digits made ASCII and spaces or dashes inside numbers removed."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))


def personal_data_problems(
    texts: dict[str, str], operator_name: str = "", category: str = ""
) -> list[str]:
    """Why the texts may not be published (Chinese), by field label; empty when they may."""
    problems = []
    for label, text in texts.items():
        plain = folded(text)
        if MOBILE.search(plain):
            problems.append(_("“%(f)s”含有 11 位手机号码，发布前须删除。", f=label))
        if ID_NUMBER.search(plain):
            problems.append(_("“%(f)s”含有 18 位身份证号码，发布前须删除。", f=label))
        if operator_name and operator_name in (text or ""):
            hint = anonymous_operator(category)
            problems.append(
                _("“%(f)s”写有经营者名称；未选择“公开经营者名称”时请改称“%(a)s”。", f=label, a=hint)
            )
    return problems


def anonymous_operator(category: str) -> str:
    """某 + the category, e.g. 某超市; 某经营者 when the category is unknown."""
    name = labels.label(CATEGORIES, category) if category in CATEGORIES else _("经营者")
    return _("某%(name)s", name=name)


def operator_label(case) -> str:
    """The operator as the public page names it."""
    if case.show_operator_name and case.establishment is not None:
        return case.establishment.name
    return anonymous_operator(case.category)
