"""Reading and writing the office's spreadsheets (CSV and XLSX)."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from zipfile import BadZipFile

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, in Chinese."""


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM) or GBK/GB18030, as Excel saves it in China."""
    if b"\x00" in data:
        raise TableError(
            _(
                "文件编码无法识别（可能是 UTF-16）。请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel (.xlsx) 文件。"
            )
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        _("文件编码无法识别。请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel (.xlsx) 文件。")
    )


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """All rows of a CSV or XLSX file as lists of trimmed strings."""
    name = filename.lower()
    if name.endswith(".csv"):
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(decode_csv(data)))]
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    raise TableError(_("只支持 .csv 和 .xlsx 文件。"))


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet of an XLSX workbook as rows of strings."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且没有损坏。")) from exc
    try:
        sheet = book.worksheets[0]
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def cell_text(value) -> str:
    """A spreadsheet cell as text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # a date cell: openpyxl reads it as midnight
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def safe_cell(value):
    """Neutralise text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """A CSV file with a BOM so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: dict[str, tuple[list[str], Iterable[list]]]) -> bytes:
    """An XLSX workbook, one sheet per entry, with bold headers and sensible widths."""
    book = Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for i, header in enumerate(headers, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
                10, 2 * len(header) + 4
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
