"""Lists, asides and certificate dates are written in the reader's language."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.web.locale import aside, clauses, long_date, series


@pytest.mark.parametrize(
    ("lang", "listed", "reasons", "bracketed", "day"),
    [
        ("zh_CN", "甲、乙", "缺电话；缺地址", "（2024-05-06）", "2027年03月01日"),
        ("en", "甲, 乙", "缺电话; 缺地址", " (2024-05-06)", "1 March 2027"),
    ],
)
def test_joins_brackets_and_dates_follow_the_language(app, lang, listed, reasons, bracketed, day):
    with app.test_request_context(), force_locale(lang):
        assert series(["甲", "乙"]) == listed
        assert clauses(["缺电话", "缺地址"]) == reasons
        assert aside(date(2024, 5, 6)) == bracketed
        assert long_date(date(2027, 3, 1)) == day


def test_an_aside_escapes_what_it_wraps(app):
    with app.test_request_context(), force_locale("zh_CN"):
        assert str(aside("<b>")) == "（&lt;b&gt;）"
