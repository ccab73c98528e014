"""Typed values in the office's spreadsheet cells: dates, yes/no, risk grades, open/closed.

Each parser takes a cell's trimmed text, returns the value (None for an empty optional
cell) and raises ValueError for text it cannot read; the importer words the reason.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from app.models.establishment import RISK_GRADES

DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
# A licence valid without end: stored as no end date (licence_valid_until None).
LONG_TERM = ("长期", "长期有效", "永久", "永久有效", "无期限")
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
# A 10-digit number not starting with 0 or 1: a landline (0398 …) that lost its leading 0.
LOST_ZERO = re.compile(r"[2-9]\d{9}")
EXCEL_EPOCH = date(1899, 12, 30)
# A whole number in a date column is an Excel day serial left in a "General" cell;
# only 1954-2119 are taken as dates.
SERIALS = range(20000, 80000)
YES = ("是", "Y", "YES", "TRUE", "1", "√")
NO = ("否", "N", "NO", "FALSE", "0", "×", "")
OPEN = ("在营", "正常", "营业", "ACTIVE", "")
CLOSED = ("已注销", "注销", "停业", "CLOSED")


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 or an Excel serial."""
    if not text:
        return None
    if text.isdigit() and int(text) in SERIALS:
        return EXCEL_EPOCH + timedelta(days=int(text))
    match = DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))  # ValueError for 2024-02-30


def parse_yes_no(text: str) -> bool:
    """是/否 (also Y/N, 1/0, TRUE/FALSE, √/×); empty is no."""
    return _either(text, YES, NO)


def parse_grade(text: str) -> str | None:
    """A risk grade A-D, also written in lower case or as "B级"."""
    grade = text.upper().removesuffix("级")
    if not grade:
        return None
    if grade not in RISK_GRADES:
        raise ValueError(text)
    return grade


def parse_closed(text: str) -> bool:
    """Whether the status cell says closed (已注销); empty is open."""
    return _either(text, CLOSED, OPEN)


def _either(text: str, true_words: tuple[str, ...], false_words: tuple[str, ...]) -> bool:
    word = text.upper()
    if word in true_words:
        return True
    if word in false_words:
        return False
    raise ValueError(text)


def parse_validity(text: str) -> date | None:
    """A licence's 有效期至: a date as parse_date reads it, or 长期 (no end date, None)."""
    if text.replace(" ", "") in LONG_TERM:
        return None
    return parse_date(text)


def is_long_term(text: str) -> bool:
    """Whether a validity cell says the licence has no end date (长期)."""
    return text.replace(" ", "") in LONG_TERM


def parse_phone(text: str) -> str:
    """A phone number as text: a number cell's 13803981234.0 or 1.3803981234E+10 made whole."""
    if SCIENTIFIC.fullmatch(text) or re.fullmatch(r"\d+\.0+", text):
        value = Decimal(text)
        if value != value.to_integral_value():
            raise ValueError(text)
        return str(int(value))
    return text


def lost_leading_zero(phone: str) -> bool:
    """Whether a phone number looks like a landline whose leading 0 a number cell dropped."""
    return bool(LOST_ZERO.fullmatch(phone))
