"""Reading and writing the office's spreadsheets (CSV and XLSX).

read_sheet takes a register as clerks keep it: title rows above the header, a two-row
header, merged cells, hidden columns and rows, empty rows and a totals row at the end.
"""

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import zip_longest
from typing import BinaryIO
from zipfile import BadZipFile

from charset_normalizer import from_bytes
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from app.core.text import clean_text, normalise_header, xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOTAL = re.compile(r"^(合计|总计|小计)\s*[:：]?")
ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how XLSX stores a control character
HEADER_SEARCH = 20  # the header is looked for in this many rows from the top
SPOOL_BYTES = 4 * 1024 * 1024  # an export file up to this size stays in memory, else on disk
BOLD = Font(bold=True)


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, in Chinese."""


@dataclass
class Grid:
    """A sheet's cells as text, with what the file hides and merges (1-based indexes)."""

    cells: list[list[str]]
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    across: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first, last col)


@dataclass
class Sheet:
    """The register found in a file: its header, its data rows by number, what was skipped."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    header_rows: tuple[int, ...] = ()
    hidden_columns: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    empty_rows: int = 0
    total_rows: list[int] = field(default_factory=list)
    encoding: str = ""


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM) or GBK/GB18030, detected by charset-normalizer."""
    if b"\x00" in data:
        raise TableError(
            _(
                "文件编码无法识别（可能是 UTF-16）。请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel (.xlsx) 文件。"
            )
        )
    if not data.strip():
        return ""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    best = from_bytes(data, cp_isolation=["utf_8", "gb18030"]).best()
    if best is None:
        raise TableError(
            _("文件编码无法识别。请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel (.xlsx) 文件。")
        )
    return str(best)


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """All rows of a CSV or XLSX file as lists of trimmed strings (hidden ones too)."""
    return [[clean_text(c) for c in row] for row in read_grid(filename, data).cells]


def read_grid(filename: str, data: bytes) -> Grid:
    """The first sheet of a CSV or XLSX file, merged cells filled down."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            rows = [[unquote(c) for c in row] for row in csv.reader(io.StringIO(decode_csv(data)))]
        except csv.Error as exc:  # e.g. one cell over the csv module's 128 KB limit
            raise TableError(
                _("无法读取该 CSV 文件，请在 Excel 中打开后另存为 .xlsx 再上传。")
            ) from exc
        width = max((len(row) for row in rows), default=0)
        return Grid([row + [""] * (width - len(row)) for row in rows])
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    raise TableError(_("只支持 .csv 和 .xlsx 文件。"))


def unquote(text: str) -> str:
    """A CSV cell without the apostrophe that safe_cell put before a formula-like value."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def read_xlsx(data: bytes) -> Grid:
    """The first sheet of an XLSX workbook: text cells, hidden rows and columns, merges."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且没有损坏。")) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(
        min_row=1, min_col=1, max_row=sheet.max_row, max_col=sheet.max_column, values_only=True
    )
    grid = Grid([[unescape(cell_text(v)) for v in row] for row in rows])
    grid.hidden_rows = {n for n, dim in sheet.row_dimensions.items() if dim.hidden}
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min:
            grid.hidden_columns.update(range(dim.min, (dim.max or dim.min) + 1))
    fill_merged(grid, sheet.merged_cells.ranges)
    return grid


def unescape(text: str) -> str:
    """A cell's text with Excel's _x000B_ escapes (control characters Word leaves) decoded."""
    return ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def fill_merged(grid: Grid, ranges) -> None:
    """Copy each merged range's value down its first column; note ranges across columns."""
    for cells in ranges:
        top = grid.cells[cells.min_row - 1][cells.min_col - 1]
        for r in range(cells.min_row + 1, cells.max_row + 1):
            grid.cells[r - 1][cells.min_col - 1] = top
        if cells.max_col > cells.min_col:
            grid.across.append((cells.min_row, cells.min_col, cells.max_col))


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


def read_sheet(filename: str, data: bytes, known: frozenset[str] = frozenset()) -> Sheet:
    """The register in a file: the header row found among the top rows by the known titles."""
    grid = read_grid(filename, data)
    if not any(any(c.strip() for c in row) for row in grid.cells):
        raise TableError(_("文件是空的。"))
    header_rows, header = find_header(grid, known)
    keep = [i for i in range(len(header)) if i + 1 not in grid.hidden_columns]
    sheet = Sheet([header[i] for i in keep], [], header_rows)
    sheet.hidden_columns = [
        header[i - 1] or get_column_letter(i)
        for i in sorted(grid.hidden_columns)
        if i <= len(header)
    ]
    for number in range(header_rows[-1] + 1, len(grid.cells) + 1):
        take_row(sheet, grid, number, keep)
    return sheet


def take_row(sheet: Sheet, grid: Grid, number: int, keep: list[int]) -> None:
    """Add one row under the header to the sheet's data rows, or say why it is skipped."""
    row = grid.cells[number - 1]
    cells = [clean_text(row[i]) if i < len(row) else "" for i in keep]
    if not any(cells):
        sheet.empty_rows += 1
    elif number in grid.hidden_rows:
        sheet.hidden_rows.append(number)
    elif TOTAL.match(next(c for c in cells if c)):
        sheet.total_rows.append(number)
    else:
        sheet.rows.append((number, cells))


def find_header(grid: Grid, known: frozenset[str]) -> tuple[tuple[int, ...], list[str]]:
    """The header's rows and titles: the top row matching most known titles, or a better pair."""
    best, best_score = None, 0
    visible = [n for n in range(1, len(grid.cells) + 1) if n not in grid.hidden_rows]
    top = visible[:HEADER_SEARCH]
    scores = {n: matches(titles(grid.cells[n - 1]), known) for n in top}
    for upper, lower in zip_longest(top, top[1:]):
        if scores[upper] > best_score:
            best, best_score = ((upper,), titles(grid.cells[upper - 1])), scores[upper]
        pair = combined(grid, upper, lower) if lower else []
        if matches(pair, known) > max(best_score, scores.get(lower, 0)):
            best, best_score = ((upper, lower), pair), matches(pair, known)
    return best or widest_row(grid, visible)


def matches(header: list[str], known: frozenset[str]) -> int:
    """How many of a header's titles are known ones."""
    return sum(1 for title in header if title in known)


def titles(row: list[str]) -> list[str]:
    """A row's cells as normalised column titles."""
    return [normalise_header(c) for c in row]


def combined(grid: Grid, upper: int, lower: int) -> list[str]:
    """A two-row header: the lower title under a cell merged across, else the upper one."""
    top, bottom = titles(grid.cells[upper - 1]), titles(grid.cells[lower - 1])
    spanned = {c for r, first, last in grid.across if r == upper for c in range(first, last + 1)}
    return [
        b if b and (i + 1 in spanned or not t) else t
        for i, (t, b) in enumerate(zip(top, bottom, strict=True))
    ]


def widest_row(grid: Grid, visible: list[int]) -> tuple[tuple[int, ...], list[str]]:
    """Without a known title: the first row at least half as full as the fullest (not a title)."""
    filled = {n: sum(1 for c in grid.cells[n - 1] if c.strip()) for n in visible[:HEADER_SEARCH]}
    most = max(filled.values(), default=0)
    if not most:
        raise TableError(_("文件是空的。"))
    number = next(n for n, count in filled.items() if count * 2 >= most)
    return (number,), titles(grid.cells[number - 1])


def safe_cell(value):
    """Neutralise text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def write_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """A CSV file with a BOM so Excel opens the Chinese text correctly."""
    with csv_file(headers, rows) as fh:
        return fh.read()


def csv_file(headers: list[str], rows: Iterable[list]) -> BinaryIO:
    """The CSV as a file written row by row (rewound; the caller closes it)."""

    def write(out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else safe_cell(v) for v in row])
        text.detach()  # flushes, and leaves `out` open

    return spooled(write)


def write_xlsx(sheets: dict[str, tuple[list[str], Iterable[list]]]) -> bytes:
    """An XLSX workbook, one sheet per entry, with bold headers and sensible widths."""
    with xlsx_file(sheets) as fh:
        return fh.read()


def xlsx_file(sheets: dict[str, tuple[list[str], Iterable[list]]]) -> BinaryIO:
    """The workbook as a file (rewound; the caller closes it), in openpyxl's write-only mode.

    Each row goes to disk as it comes, so an export of 100k rows never holds the workbook
    (nor, with rows from a generator, the rows) in memory.
    """
    book = Workbook(write_only=True)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        for i, header in enumerate(headers, start=1):  # this mode wants them before any row
            sheet.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(header) + 4)
        sheet.freeze_panes = "A2"
        sheet.append([bold(sheet, header) for header in headers])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    return spooled(book.save)


def spooled(write: Callable[[BinaryIO], None]) -> BinaryIO:
    """A temp file (in memory up to SPOOL_BYTES) filled by write, rewound; the caller closes it."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    try:
        write(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def bold(sheet, value) -> WriteOnlyCell:
    """A header cell."""
    cell = WriteOnlyCell(sheet, value)
    cell.font = BOLD
    return cell


def xlsx_cell(sheet, value):
    """A row's value; text stays text (never run as a formula), control characters removed."""
    value = xml_safe(value)
    if isinstance(value, str) and value[:1] in ("=", "#"):  # openpyxl: a formula or an error
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def write_row(sheet, number: int, row: list) -> None:
    """One row of cells; text is stored as text (never run as a formula), control chars removed."""
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(number, column)
        cell.value = xml_safe(value)
        if isinstance(value, str):
            cell.data_type = "s"
