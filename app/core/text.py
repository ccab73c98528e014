"""Text as people meant it: control characters dropped, odd spaces made plain, trimmed."""

import re
import unicodedata

# Zero-width characters that Word and web pages leave behind (format, not content).
INVISIBLE = "\u200b\u200c\u2060\ufeff"
# Control characters an XLSX file may not hold (openpyxl refuses them, Excel too).
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str, keep_lines: bool = False) -> str:
    """Control and zero-width characters removed, any space (U+3000 too) plain, ends trimmed.

    Line breaks become spaces unless keep_lines (a text area's paragraphs).
    """
    out = []
    for ch in value:
        if keep_lines and ch in "\r\n":
            out.append(ch)
        elif ch in "\t\r\n" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif ch not in INVISIBLE and unicodedata.category(ch) != "Cc":
            out.append(ch)
    return "".join(out).strip()


def normalise_header(value: str) -> str:
    """A column title compared by meaning: full-width forms folded, no spaces, no colon."""
    text = unicodedata.normalize("NFKC", clean_text(value))
    return re.sub(r"\s+", "", text).strip("*:")


def xml_safe(value):
    """A value an XLSX cell can hold: control characters removed from text."""
    return XML_ILLEGAL.sub("", value) if isinstance(value, str) else value
