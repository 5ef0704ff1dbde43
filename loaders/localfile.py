"""The one validator for an analyst's own file (CSV or Excel bytes) into the tidy frame.

Used by the ``local`` source (files in ``data/local/``), by ``python -m loaders add local``
and by the dashboard's upload in Explore, so every way in runs the same checks. On failure
it raises ``LocalFileError`` (a ``ValidationError``) naming the file, the line (as a text
editor or spreadsheet numbers it, from 1), the column, what it found and what was expected.

The format (see docs/adding-a-dataset.md): a header line with ``date`` and ``value`` and,
optionally, ``country`` (ISO3) and ``status``; dates ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``,
one format per file; values with ``.`` for decimals and no thousands separators; UTF-8.

>>> frame = read_table(b"date,value\\n2019,1.5\\n2020,\\n2021,-2e3\\n", "mine.csv", country="VEN")
>>> frame.to_dict("list")["value"], frame.attrs["date_format"]
([1.5, -2000.0], 'YYYY')
>>> read_table(b"date,value\\n2019,\\"1,234.5\\"\\n", "mine.csv", country="VEN")
Traceback (most recent call last):
...
loaders.localfile.LocalFileError: mine.csv, line 2, column 'value': '1,234.5' uses ',' as a thousands separator; \
expected a plain number like 1234.5 (no thousands separators, '.' for decimals)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pycountry

from .errors import ValidationError
from .metadata import ANY_COUNTRY, is_country_code
from .tidy import tidy_frame

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read
    from openpyxl import Workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates beyond this
REQUIRED = ("date", "value")
OPTIONAL = ("country", "status")
STATUSES = ("actual", "estimate", "provisional", "projection")
DATE_FORMATS = ("YYYY-MM-DD", "YYYY-MM", "YYYY")
FREQUENCY_OF_FORMAT = {"YYYY-MM-DD": "daily", "YYYY-MM": "monthly", "YYYY": "annual"}
FIRST_YEAR, LAST_YEAR = 1800, 2100
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_LISTED = 12
# Checking stops after this many problems (the rest of the file is not checked, and the message says
# how many rows that leaves): a file of bad rows costs a bounded time, memory and message size.
MAX_PROBLEMS = 100
# A sheet is read only if its extent (rows × columns, as its dimension or its cells give it) is at
# most this many cells, checked before any cell is built: one far cell (XFD1048576) would otherwise
# make a 1.4 kB file into a grid of 17 billion cells.
MAX_CELLS = 2_000_000
CSV_EXTENSIONS = (".csv",)
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
# Header names analysts often use, with the name this format expects: a hint, never a silent rename.
ALIASES = {
    "fecha": "date",
    "year": "date",
    "año": "date",
    "ano": "date",
    "period": "date",
    "periodo": "date",
    "time": "date",
    "observation_date": "date",
    "valor": "value",
    "values": "value",
    "obs_value": "value",
    "amount": "value",
    "país": "country",
    "pais": "country",
    "iso3": "country",
    "country_code": "country",
    "estado": "status",
}
MISSING_MARKERS = {"na", "n/a", "nan", "null", "none", "..", ".", "-", "–", "—", "#n/a", "n.d.", "nd", "s/d"}
SPACES = "\u00a0\u202f\u2009"


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (line and column, or the whole file) and what was expected."""

    message: str
    line: int | None = None
    column: str | None = None

    def where(self, row_word: str) -> str:
        parts = [f"{row_word} {self.line}"] if self.line is not None else []
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class LocalFileError(ValidationError):
    """A file failed validation; ``problems`` lists every problem found (the message shows the first few)."""

    def __init__(self, file_name: str, problems: list[Problem], row_word: str = "line"):
        if len(problems) > MAX_PROBLEMS + 1:  # keep what a page lists, and its memory, small
            problems = problems[:MAX_PROBLEMS] + [Problem(f"… and {len(problems) - MAX_PROBLEMS:,} more problems")]
        self.file_name, self.problems, self.row_word = file_name, problems, row_word
        super().__init__(format_problems(file_name, problems, row_word))


def format_problems(file_name: str, problems: list[Problem], row_word: str = "line") -> str:
    """One line for one problem; a count and a list for several (at most MAX_LISTED shown)."""

    def one(p: Problem) -> str:
        where = p.where(row_word)
        return f"{where}: {p.message}" if where else p.message

    if len(problems) == 1:
        where = problems[0].where(row_word)
        return f"{file_name}, {where}: {problems[0].message}" if where else f"{file_name}: {problems[0].message}"
    lines = [f"{file_name}: {len(problems)} problems; nothing was read. Fix them and try again:"]
    lines += [f"  - {one(p)}" for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  - … and {len(problems) - MAX_LISTED} more")
    return "\n".join(lines)


# Text a spreadsheet would run once a CSV line is split into cells: a formula character (not a sign
# before a number) at the start, or after a separator and an optional opening quote.
_FORMULA_CELL = re.compile(r"""(?:^|[,;\t|\r\n])[ \t]*"?([=@]|[+\-](?![\d.\s]))""")


def formula_text(text: str | None) -> str | None:
    """The part of ``text`` a spreadsheet would run as a formula (shortened), or None.

    >>> print(formula_text('Brent,"=HYPERLINK(""http://e.example"",""c"")"'), formula_text("Brent, -36.98 low"))
    '=HYPERLINK(""http://e.e…' None
    """
    text = text or ""
    match = _FORMULA_CELL.search(text)
    return show(text[match.start(1) :], 24) if match else None


def fail(file_name: str, message: str) -> LocalFileError:
    """A problem with the whole file (no line or column)."""
    return LocalFileError(file_name, [Problem(message)])


def show(text: object, limit: int = 40) -> str:
    """A cell's text quoted for a message, shortened; invisible characters made visible by repr."""
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- the whole file: size, kind, encoding ---------------------------------------------------------------------------


def size_problem(size: int, max_bytes: int = MAX_BYTES) -> str | None:
    """The message for an empty file or one over the size limit, else None."""
    if size == 0:
        return "the file is empty (0 bytes); expected a header line such as 'date,value' and at least one row"
    if size > max_bytes:
        return (
            f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit ({max_bytes / 2**20:g} MB); "
            "expected a smaller file: split it, or keep only the columns date, value[, country, status]"
        )
    return None


def file_kind(data: bytes, file_name: str) -> str:
    """'csv' or 'excel' from the name, checked against the first bytes; raise for anything else."""
    lower = file_name.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if lower.endswith(CSV_EXTENSIONS):
        if is_zip:
            raise fail(file_name, "is an Excel workbook (a zip file), not CSV text; expected CSV: rename it to .xlsx")
        return "csv"
    if lower.endswith(EXCEL_EXTENSIONS):
        if not is_zip:
            raise fail(file_name, "is not an Excel .xlsx workbook (it does not start like a zip file); expected .xlsx")
        return "excel"
    if lower.endswith(".xls"):
        raise fail(
            file_name, "is an old Excel .xls workbook; expected .xlsx or .csv: in Excel use Save As > Excel Workbook"
        )
    raise fail(file_name, "has an unknown file type; expected a .csv or .xlsx file")


def decode_utf8(data: bytes, file_name: str) -> str:
    """The text of a UTF-8 file (a BOM is allowed and dropped); raise naming the byte offset otherwise."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32")):
        if data.startswith(bom):
            raise fail(file_name, f"is {name} (byte order mark at byte 0); expected UTF-8: re-save it as CSV UTF-8")
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            raise fail(
                file_name,
                f"is UTF-16 (byte order mark {bom.hex(' ').upper()} at byte 0); expected UTF-8: in Excel use "
                "Save As > CSV UTF-8 (Comma delimited)",
            )
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    nul = data.find(b"\x00", skip)
    if nul >= 0:
        raise fail(
            file_name,
            f"byte offset {nul} ({_line_col(data, nul)}) is a NUL byte: the file looks like UTF-16 or binary; "
            "expected UTF-8 text",
        )
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        offset = skip + e.start
        bad = data[offset : offset + 1]
        guess = bad.decode("cp1252", errors="replace")
        raise fail(
            file_name,
            f"byte offset {offset} ({_line_col(data, offset)}) is 0x{bad.hex().upper()}, which is not valid UTF-8; "
            f"expected UTF-8 text (with or without BOM). It looks like Windows-1252/Latin-1, where that byte is "
            f"{guess!r}: re-save the file as CSV UTF-8",
        ) from e


def _line_col(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return f"line {line}, byte {offset - start + 1} of that line"


# --- rows: CSV and Excel give the same shape ------------------------------------------------------------------------


@dataclass
class Rows:
    """The header and data rows of a file, each with the line/row number the analyst sees."""

    label: str  # the file as messages name it
    header_line: int
    header: Sequence[object]
    rows: Sequence[tuple[int, Sequence[object]]]
    row_word: str  # 'line' (CSV) or 'row' (Excel)
    letters: bool  # name columns by spreadsheet letter too (Excel)


def _blank(cells: Iterable[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _is_comment(cells: Sequence[object]) -> bool:
    return bool(cells) and isinstance(cells[0], str) and cells[0].lstrip().startswith("#")


def csv_rows(data: bytes, file_name: str) -> Rows:
    """Lines of a UTF-8 CSV: '#' comment lines before the header and blank lines are skipped."""
    text = decode_utf8(data, file_name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header_line, header, rows = 0, None, []
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                if _blank(cells) or _is_comment(cells):
                    continue
                header_line, header = line, cells
            elif not _blank(cells):
                rows.append((line, cells))
    except csv.Error as e:
        problem = Problem(f"the CSV cannot be read ({e}); expected quotes only around whole cells", reader.line_num)
        raise LocalFileError(file_name, [problem]) from e
    if header is None:
        raise fail(
            file_name, "holds no header line, only blank or '#' comment lines; expected a line like 'date,value'"
        )
    return Rows(file_name, header_line, header, rows, "line", letters=False)


def excel_rows(data: bytes, file_name: str, sheet: str | None) -> Rows:
    """Rows of the first sheet (or ``sheet``), with Excel's row numbers; formulas must have saved results."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as e:
        raise fail(file_name, f"is not a readable .xlsx workbook ({e}); expected a file saved by Excel") from e
    if inflated > MAX_UNZIPPED_BYTES:
        raise fail(file_name, f"unpacks to {inflated:,} bytes, over the {MAX_UNZIPPED_BYTES:,}-byte limit")
    try:
        # Read-only books stream rows from the file; a normal one builds every cell up to the sheet's extent.
        values_book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formula_book = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise fail(file_name, f"is not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        return _sheet_rows(values_book, formula_book, file_name, sheet)
    finally:
        values_book.close()
        formula_book.close()


def _sheet_rows(values_book: Workbook, formula_book: Workbook, file_name: str, sheet: str | None) -> Rows:
    """The rows of one sheet of two read-only views of a workbook (saved values, formulas)."""
    from openpyxl.utils import get_column_letter

    if sheet is not None and sheet not in values_book.sheetnames:
        names = ", ".join(map(repr, values_book.sheetnames))
        raise fail(file_name, f"has no sheet {show(sheet)}; expected one of: {names}")
    name = sheet if sheet is not None else values_book.sheetnames[0]
    values, formulas = values_book[name], formula_book[name]
    label = f"{file_name} (sheet {name!r})"
    if values.max_row is None or values.max_column is None:  # no <dimension> in the file: measure it, streaming
        values.reset_dimensions()
        values.calculate_dimension(force=True)
    rows_n, cols_n = values.max_row or 0, values.max_column or 0
    if rows_n * cols_n > MAX_CELLS:
        corner = f"{get_column_letter(min(cols_n, 18_278))}{rows_n}"
        raise fail(
            label,
            f"reaches cell {corner} ({rows_n:,} rows × {cols_n:,} columns), over the limit of {MAX_CELLS:,} cells; "
            "expected only the data: delete the rows and columns beyond it (Ctrl+End shows the last used cell)",
        )
    header_line, header, rows, problems = 0, None, [], []
    pairs = zip(
        values.iter_rows(min_row=1, max_row=rows_n, max_col=cols_n, values_only=True),
        formulas.iter_rows(min_row=1, max_row=rows_n, max_col=cols_n, values_only=True),
        strict=True,
    )
    for number, (cells, raw) in enumerate(pairs, start=1):
        for index, (value, formula) in enumerate(zip(cells, raw, strict=True)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    Problem(
                        f"holds a formula ({show(formula)}) with no saved result; expected a value: open and save "
                        "the file in Excel or LibreOffice, or paste values only",
                        number,
                        get_column_letter(index + 1),
                    )
                )
                if len(problems) >= MAX_PROBLEMS:
                    break
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                Problem(f"stopped after the first {MAX_PROBLEMS} problems; rows after {number} not checked")
            )
            break
        cells = list(cells)
        if header is None:
            if _blank(cells) or _is_comment(cells):
                continue
            header_line, header = number, cells
        elif not _blank(cells):
            rows.append((number, cells))
    if problems:
        raise LocalFileError(label, problems, "row")
    if header is None:
        raise fail(label, "is empty; expected a header row such as date | value, then the data")
    return Rows(label, header_line, header, rows, "row", letters=True)


# --- cells ----------------------------------------------------------------------------------------------------------

NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
THOUSANDS_DOT_DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
THOUSANDS_DOTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}")
DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
THOUSANDS_SPACE = re.compile(rf"[+-]?\d{{1,3}}(?:[ {SPACES}]\d{{3}})+(?:[.,]\d+)?")
PERCENT = re.compile(r"[+-]?[\d.,]+\s*%")
CURRENCY = re.compile(r"^(?:[+-]?\s*(?:US)?[$€£¥]|Bs\.?\s*)|(?:\s*(?:USD|EUR|VES|Bs\.?))$", re.IGNORECASE)
PLAIN_EXPECTED = "expected a plain number like 1234.5 (no thousands separators, '.' for decimals)"
# Said to whoever typed a unit into a cell, an uploader or an analyst: no catalog words.
UNIT_ONCE = "write the number alone; the unit is said once for the whole series, not in each cell"


def parse_value(cell: object) -> tuple[float | None, str | None]:
    """(number, None), (None, None) for an empty cell (a missing observation), or (None, what is wrong).

    >>> parse_value(" -0.25 "), parse_value(""), parse_value("1.234,5")[1][:40]
    ((-0.25, None), (None, None), "'1.234,5' uses '.' for thousands and ','")
    """
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        return None, f"{show(cell)} is TRUE/FALSE, not a number; {PLAIN_EXPECTED}"
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            return None, f"{show(cell)} is not a finite number; {PLAIN_EXPECTED}"
        return float(cell), None
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        return None, f"{show(cell)} is a date or time, not a number; {PLAIN_EXPECTED}"
    text = str(cell).strip()
    if not text:
        return None, None
    if NUMBER.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            return None, f"{show(text)} is too large to store; {PLAIN_EXPECTED}"
        return number, None
    return None, _why_not_a_number(text)


def _why_not_a_number(text: str) -> str:
    if THOUSANDS_COMMA.fullmatch(text):
        return f"{show(text)} uses ',' as a thousands separator; {PLAIN_EXPECTED}"
    if THOUSANDS_DOT_DECIMAL_COMMA.fullmatch(text):
        return f"{show(text)} uses '.' for thousands and ',' for decimals; {PLAIN_EXPECTED}"
    if THOUSANDS_DOTS.fullmatch(text):
        return f"{show(text)} uses '.' as a thousands separator; {PLAIN_EXPECTED}"
    if DECIMAL_COMMA.fullmatch(text):
        return (
            f"{show(text)} has a comma, which could be a decimal comma or a thousands separator, so it is not guessed; "
            f"{PLAIN_EXPECTED}"
        )
    if THOUSANDS_SPACE.fullmatch(text):
        return f"{show(text)} uses spaces as thousands separators; {PLAIN_EXPECTED}"
    if PERCENT.fullmatch(text):
        return f"{show(text)} has a '%' sign; {PLAIN_EXPECTED}: {UNIT_ONCE}"
    if CURRENCY.search(text):
        return f"{show(text)} has a currency sign or code; {PLAIN_EXPECTED}: {UNIT_ONCE}"
    if text.lower() in MISSING_MARKERS or text.startswith("#"):
        return f"{show(text)} is not a number; leave the cell empty for a missing observation"
    if text.startswith(FORMULA_STARTS):
        return f"{show(text)} looks like a spreadsheet formula, not a number; {PLAIN_EXPECTED}"
    return f"{show(text)} is not a number; {PLAIN_EXPECTED}"


DATE_PATTERNS = {
    "YYYY-MM-DD": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "YYYY-MM": re.compile(r"(\d{4})-(\d{2})"),
    "YYYY": re.compile(r"(\d{4})"),
}
DATE_EXPECTED = "expected YYYY-MM-DD (e.g. 2020-04-20), YYYY-MM (e.g. 2020-04) or YYYY (e.g. 2020)"


def parse_date(cell: object) -> tuple[str | None, str | None, str | None]:
    """(ISO date of the period's first day, format name, None) or (None, None, what is wrong).

    >>> parse_date("2020-04"), parse_date(2019)
    (('2020-04-01', 'YYYY-MM', None), ('2019-01-01', 'YYYY', None))
    >>> parse_date("01/02/2020")[2][:50]
    "'01/02/2020' has day and month in an order that ca"
    >>> parse_date("31/03/2025")[2][-30:]
    ' (e.g. 2020): write 2025-03-31'
    """
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time(0):
            return None, None, f"{show(cell)} has a time of day; {DATE_EXPECTED}, without a time"
        cell = cell.date()
    if isinstance(cell, dt.date):
        return _check_year(cell.year, cell.isoformat(), "YYYY-MM-DD", str(cell))
    if isinstance(cell, bool):
        return None, None, f"{show(cell)} is TRUE/FALSE, not a date; {DATE_EXPECTED}"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int):
        cell = str(cell)
    if cell is None or not str(cell).strip():
        return None, None, f"the date is empty; {DATE_EXPECTED}"
    text = str(cell).strip()
    for name, pattern in DATE_PATTERNS.items():
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups() + ("1",) * (3 - len(match.groups())))
            try:
                iso = dt.date(year, month, day).isoformat()
            except ValueError:
                return (
                    None,
                    None,
                    f"{show(text)} is not a real date (month 1-12, day within the month); {DATE_EXPECTED}",
                )
            return _check_year(year, iso, name, text)
    return None, None, _why_not_a_date(text)


def _check_year(year: int, iso: str, fmt: str, text: str) -> tuple[str | None, str | None, str | None]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, None, f"{show(text)}: year {year} is outside {FIRST_YEAR}-{LAST_YEAR}; is it a typing slip?"
    return iso, fmt, None


def _why_not_a_date(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*", text):
        return f"{show(text)} has a time of day; {DATE_EXPECTED}, without a time"
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})", text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 4 and first > 12 >= second:
            return f"{show(text)} is day/month/year; {DATE_EXPECTED}: write {year:04d}-{second:02d}-{first:02d}"
        if len(match.group(3)) == 4 and second > 12 >= first:
            return f"{show(text)} is month/day/year; {DATE_EXPECTED}: write {year:04d}-{first:02d}-{second:02d}"
        return (
            f"{show(text)} has day and month in an order that cannot be told apart (01/02 is 1 February or 2 January), "
            f"so it is not guessed; {DATE_EXPECTED}"
        )
    if re.fullmatch(r"\d{4}[/.]\d{1,2}(?:[/.]\d{1,2})?", text):
        return f"{show(text)} uses '/' or '.' between the parts; {DATE_EXPECTED}, with '-'"
    if re.fullmatch(r"\d{4}-\d{1,2}(?:-\d{1,2})?", text):
        return f"{show(text)} needs two digits for month and day; {DATE_EXPECTED}"
    if re.fullmatch(r"\d{4}\s*-?\s*[Qq][1-4]|[Qq][1-4]\s*-?\s*\d{4}", text):
        return f"{show(text)} is a quarter; quarterly data is not supported: {DATE_EXPECTED}"
    if re.fullmatch(r"\d{4}\.\d+", text):
        return f"{show(text)} is a decimal number, not a date; {DATE_EXPECTED}"
    return f"{show(text)} is not a date in an accepted format; {DATE_EXPECTED}"


COUNTRY_EXPECTED = "expected an ISO 3166-1 alpha-3 code such as VEN or COL (or WLD, LCN)"


def check_country(cell: object) -> str | None:
    """None when the code is usable, else what is wrong (with the code to use where one can be found).

    >>> check_country("VEN"), check_country("Venezuela")
    (None, "'Venezuela' is a name; expected its ISO3 code VEN")
    """
    text = str(cell).strip()
    if is_country_code(text):
        return None
    if is_country_code(text.upper()):
        return f"{show(text)} must be upper case: {text.upper()}"
    try:
        found = pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return f"{show(text)} is not a known country code; {COUNTRY_EXPECTED}"
    if len(text) == 2:
        return f"{show(text)} is a 2-letter code; expected the 3-letter ISO3 code {found}"
    return f"{show(text)} is a name; expected its ISO3 code {found}"


def check_status(cell: object) -> str | None:
    text = str(cell).strip()
    if text == "" or text in STATUSES:
        return None
    return f"{show(text)} is not a status; expected one of {', '.join(STATUSES)}, or empty"


# --- the table ------------------------------------------------------------------------------------------------------


def read_table(
    data: bytes,
    file_name: str,
    *,
    country: str | None = None,
    countries: Iterable[str] | None = None,
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Validate a CSV or .xlsx file and return the tidy frame (sorted by country then date).

    ``country`` fills rows of a file without a ``country`` column; ``countries`` (when given and
    without ``*``) are the only codes allowed. Empty value cells are missing observations and are
    dropped. ``frame.attrs`` gets ``date_format``, ``frequency`` (daily/monthly/annual) and ``country_column``.
    """
    too_big = size_problem(len(data), max_bytes)
    if too_big:
        raise fail(file_name, too_big)
    table = csv_rows(data, file_name) if file_kind(data, file_name) == "csv" else excel_rows(data, file_name, sheet)
    columns, unnamed = _columns(table)
    allowed = None if countries is None or ANY_COUNTRY in countries else set(countries)
    if "country" not in columns:
        if country is None:
            problem = Problem(
                "has no 'country' column and this series has no single country; expected a 'country' column of "
                "ISO3 codes, or a series entry with exactly one country",
                table.header_line,
            )
            raise LocalFileError(table.label, [problem], table.row_word)
        if check_country(country) or (allowed is not None and country not in allowed):
            raise fail(table.label, f"the default country {show(country)} is not usable; {COUNTRY_EXPECTED}")
    checker = _RowChecker(table, columns, unnamed, country, allowed)
    unchecked = 0
    for i, (line, cells) in enumerate(table.rows):
        checker.check(line, cells)
        if len(checker.problems) >= MAX_PROBLEMS:
            unchecked = len(table.rows) - i - 1
            break
    problems = sorted(checker.mixed_formats() + checker.problems, key=lambda p: p.line or 0)
    if unchecked:
        word = table.row_word + ("s" if unchecked > 1 else "")
        problems.append(
            Problem(f"stopped after the first {len(checker.problems)} problems; {unchecked:,} more {word} not checked")
        )
    if problems:
        raise LocalFileError(table.label, problems, table.row_word)
    if not table.rows:
        raise LocalFileError(
            table.label, [Problem("has a header but no data rows below it; expected at least one row")]
        )
    if not checker.records:
        raise fail(table.label, "has no observations: every value cell is empty; expected at least one number")
    with_status = "status" in columns
    frame = tidy_frame([r if with_status else r[:3] for r in checker.records], with_status=with_status)
    fmt = next(iter(checker.formats))
    frame.attrs["date_format"] = fmt
    frame.attrs["country_column"] = "country" in columns
    frame.attrs["frequency"] = guess_frequency(frame) if fmt == "YYYY-MM-DD" else FREQUENCY_OF_FORMAT[fmt]
    return frame


class _RowChecker:
    """Checks data rows one by one, collecting problems, records and the date formats seen."""

    def __init__(self, table: Rows, columns: dict[str, int], unnamed: set[int], country: str | None, allowed):
        self.table, self.columns, self.unnamed = table, columns, unnamed
        self.country, self.allowed = country, allowed
        self.width = len(table.header)
        self.problems: list[Problem] = []
        self.records: list[tuple[str, str, float, str]] = []
        self.formats: dict[str, tuple[int, object]] = {}
        self.seen: dict[tuple[str, str], int] = {}

    def name(self, column: str) -> str:
        index = self.columns[column]
        if self.table.letters:
            from openpyxl.utils import get_column_letter

            return f"{get_column_letter(index + 1)} ({column!r})"
        return repr(column)

    def check(self, line: int, cells: Sequence[object]) -> None:
        extra = [c for c in cells[self.width :] if not _blank([c])]
        missing = [i for i in range(len(cells), self.width) if i not in self.unnamed]
        if extra or missing:
            if self.table.row_word == "line":
                self.problems.append(Problem(_width_message(cells, self.width, self.table.header), line))
                return
            if extra:
                self.problems.append(Problem("has data to the right of the last named column; expected none", line))
                return
        cells = list(cells[: self.width]) + [None] * (self.width - len(cells))
        for index in self.unnamed:
            if not _blank([cells[index]]):
                message = f"has {show(cells[index])} in column {index + 1}, which has no name in the header"
                self.problems.append(Problem(message + "; expected a header name or an empty column", line))
                return

        def cell(column: str) -> object:
            value = cells[self.columns[column]]
            return value.strip() if isinstance(value, str) else value

        found = []
        iso, fmt, why = parse_date(cell("date"))
        if why:
            found.append(Problem(why, line, self.name("date")))
        elif fmt is not None:
            self.formats.setdefault(fmt, (line, cell("date")))
        value, why = parse_value(cell("value"))
        if why:
            found.append(Problem(why, line, self.name("value")))
        code, country_bad = self.country or "", False  # no country column: the series' one country
        if "country" in self.columns:
            code = "" if cell("country") is None else str(cell("country"))
            why = self.country_problem(code)
            if why:
                country_bad = True
                found.append(Problem(why, line, self.name("country")))
        status = ""
        if "status" in self.columns:
            status = "" if cell("status") is None else str(cell("status"))
            why = check_status(status)
            if why:
                found.append(Problem(why, line, self.name("status")))
        first = self.seen.setdefault((code, iso), line) if iso is not None and fmt and not country_bad else line
        if first != line and iso is not None and fmt:
            per = "date and country" if "country" in self.columns else "date"
            written = show(_as_written(cell("date"), iso, fmt))
            message = f"date {written} for {code} is also on {self.table.row_word} {first}; expected one row per {per}"
            found.insert(1 if iso is None else 0, Problem(message, line, self.name("date")))
        if found:
            self.problems += found
        elif value is not None and iso is not None:
            self.records.append((iso, code, value, status))

    def country_problem(self, code: str) -> str | None:
        if not code:
            return f"the country is empty; {COUNTRY_EXPECTED}"
        why = check_country(code)
        if why is None and self.allowed is not None and code not in self.allowed:
            listed = ", ".join(sorted(self.allowed))
            why = (
                f"{show(code)} is not among this series' countries ({listed}); expected one of those, "
                "or add it to the entry's 'countries'"
            )
        return why

    def mixed_formats(self) -> list[Problem]:
        if len(self.formats) < 2:
            return []
        (fmt_a, (line_a, text_a)), (fmt_b, (line_b, text_b)) = sorted(self.formats.items(), key=lambda kv: kv[1][0])[:2]
        message = (
            f"dates mix formats: {show(text_a)} on {self.table.row_word} {line_a} is {fmt_a}, "
            f"{show(text_b)} is {fmt_b}; expected one format for the whole file ({', '.join(DATE_FORMATS)})"
        )
        return [Problem(message, line_b, self.name("date"))]


def _as_written(cell: object, iso: str, fmt: str) -> str:
    """A date cell as the analyst wrote it: the text, or an Excel date in the file's format."""
    if isinstance(cell, str):
        return cell
    return iso[: {"YYYY": 4, "YYYY-MM": 7}.get(fmt, 10)]


def _columns(table: Rows) -> tuple[dict[str, int], set[int]]:
    """Column name -> index, and the indices of unnamed columns (allowed only when empty).

    Raises naming the header line for a missing, unknown or repeated column, or a wrong separator.
    """
    header = ["" if h is None else str(h).strip() for h in table.header]
    line, word = table.header_line, table.row_word
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(sep for sep in (";", "\t", "|") if sep in header[0])
        message = (
            f"columns are separated by {sep!r} ({show(header[0])}); expected commas, as in 'date,value' "
            "(in Excel: Save As > CSV UTF-8 (Comma delimited))"
        )
        raise LocalFileError(table.label, [Problem(message, line)], word)
    problems, columns, unnamed = [], {}, set()
    for index, name in enumerate(header):
        key = name.lower()
        if not name:
            unnamed.add(index)
        elif key in columns:
            problems.append(Problem(f"column {show(name)} appears twice; expected each column once", line))
        elif key in REQUIRED + OPTIONAL:
            columns[key] = index
        else:
            hint = f" (rename it to '{ALIASES[key]}')" if key in ALIASES else ""
            message = f"column {show(name)} is not part of the format{hint}; expected only date, value, country, status"
            problems.append(Problem(message, line))
    renamed = {ALIASES.get(name.lower()) for name in header}
    for name in REQUIRED:
        if name not in columns and name not in renamed:
            message = (
                f"there is no {name!r} column (the header is {', '.join(header)!r}); expected the columns date,value"
            )
            problems.append(Problem(message, line))
    if problems:
        raise LocalFileError(table.label, problems, word)
    return columns, unnamed


def _width_message(cells: Sequence[object], width: int, header: Sequence[object]) -> str:
    names = ",".join(map(str, header))
    message = f"has {len(cells)} cells but the header has {width} ({names if len(names) <= 80 else names[:79] + '…'})"
    if len(cells) > width:
        return (
            message + "; expected one cell per column: a number written with a thousands separator or a decimal comma "
            "(1,234.5 or 3,5) splits into two cells: write 1234.5 or 3.5"
        )
    return message + "; expected one cell per column (a missing value is written as an empty cell: '2020,')"


def guess_frequency(frame: pd.DataFrame) -> str:
    """'annual' when every date is 1 January, 'monthly' when every date is a 1st, else 'daily'."""
    dates = frame["date"]
    if ((dates.dt.month == 1) & (dates.dt.day == 1)).all():
        return "annual"
    if (dates.dt.day == 1).all():
        return "monthly"
    return "daily"


def frequency_problem(frame: pd.DataFrame, frequency: str) -> str | None:
    """What is wrong when the file's dates do not fit the entry's frequency, else None.

    A YYYY file is annual and a YYYY-MM file monthly; YYYY-MM-DD dates fit any frequency their days allow.
    """
    fmt = frame.attrs.get("date_format")
    if fmt == "YYYY-MM-DD":
        fits = {"annual": ("annual", "monthly", "daily"), "monthly": ("monthly", "daily"), "daily": ("daily",)}[
            guess_frequency(frame)
        ]
    else:
        fits = (FREQUENCY_OF_FORMAT.get(fmt, frequency),)
    if frequency in fits:
        return None
    written = {"annual": "YYYY", "monthly": "YYYY-MM", "daily": "YYYY-MM-DD"}.get(frequency, "?")
    return (
        f"the dates are {fmt} but the entry says frequency: {frequency}; expected frequency: "
        f"{' or '.join(fits)}, or dates written as {written}"
    )


def problem_lines(error: LocalFileError) -> list[str]:
    """Each problem as its own line (for a page that lists them)."""
    return [f"{p.where(error.row_word)}: {p.message}" if p.line or p.column else p.message for p in error.problems]
