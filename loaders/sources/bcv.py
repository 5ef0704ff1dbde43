"""Banco Central de Venezuela: the official reference rate from its quarterly ``.xls`` workbooks.

Each workbook (``2_1_2a25_smc.xls`` = first quarter of 2025, ...) has one sheet per business day,
named by the operation date ``DDMMYYYY``, with one row per currency. The series is the selling
(``Venta (ASK)``) rate of the ``USD`` row in bolívares per US dollar, dated on the sheet's day.
The live file names change every quarter, so the catalog entry lists them (``workbooks``).
"""

from __future__ import annotations

import datetime
import math

import pandas as pd
import xlrd

from ..errors import DriftError
from ..http import Http, Response
from ..tidy import tidy_frame

SOURCE = "bcv"
BASE = "https://www.bcv.org.ve/sites/default/files/EstadisticasGeneral"
HEADER_ROWS = 12  # the column titles are in the first rows; the currency rows follow
UNIT_TITLE, ASK_TITLE = "Bs./M.E.", "Venta (ASK)"


def workbook_url(name: str) -> str:
    """The live URL of one quarterly workbook.

    >>> workbook_url("2_1_2a25_smc.xls")
    'https://www.bcv.org.ve/sites/default/files/EstadisticasGeneral/2_1_2a25_smc.xls'
    """
    return f"{BASE}/{name}"


def fetch(entry: dict, http: Http) -> list[Response]:
    """One request per workbook the entry lists, in its order."""
    return [http.get(SOURCE, workbook_url(name)) for name in entry["workbooks"]]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The tidy daily frame of the ``code`` currency row (``USD``) of every sheet of every workbook."""
    rows: list[tuple[str, str, float]] = []
    seen: dict[str, str] = {}  # day -> the workbook that had it
    for name, body in zip(entry["workbooks"], bodies, strict=True):
        for day, value in read_workbook(body, name, entry["code"]):
            if day in seen:
                raise DriftError(SOURCE, workbook_url(name), f"day {day} is also a sheet of {seen[day]}")
            seen[day] = name
            rows.append((day, entry["countries"][0], value))
    return tidy_frame(rows)


def read_workbook(body: bytes, name: str, currency: str) -> list[tuple[str, float]]:
    """(ISO day, selling rate) for each sheet; DriftError naming the workbook and sheet if the layout moved."""
    where = workbook_url(name)
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True)
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError, KeyError) as e:
        raise DriftError(SOURCE, where, f"{name} is not a readable .xls workbook ({e})") from None
    try:
        return [_read_sheet(book.sheet_by_name(sheet), name, currency) for sheet in book.sheet_names()]
    finally:
        book.release_resources()


def _read_sheet(sheet: xlrd.sheet.Sheet, name: str, currency: str) -> tuple[str, float]:
    where = workbook_url(name)
    try:
        day = datetime.datetime.strptime(sheet.name, "%d%m%Y").date()
    except ValueError:
        raise DriftError(
            SOURCE, where, f"{name}, sheet {sheet.name!r}: expected a sheet name like 02012025 (the day, DDMMYYYY)"
        ) from None
    cells = [[str(sheet.cell_value(r, c)).strip() for c in range(sheet.ncols)] for r in range(sheet.nrows)]
    unit_col = next((c for row in cells[:HEADER_ROWS] for c, text in enumerate(row) if text == UNIT_TITLE), None)
    ask_col = (
        None
        if unit_col is None
        else next(
            (c for row in cells[:HEADER_ROWS] for c, text in enumerate(row) if c > unit_col and text == ASK_TITLE), None
        )
    )
    if ask_col is None:
        raise DriftError(
            SOURCE,
            where,
            f"{name}, sheet {sheet.name}: expected the titles '{UNIT_TITLE}' and, "
            f"right of it, '{ASK_TITLE}' in the first {HEADER_ROWS} rows",
        )
    found = [r for r, row in enumerate(cells) if currency in row[:ask_col]]
    if len(found) != 1:
        raise DriftError(
            SOURCE, where, f"{name}, sheet {sheet.name}: expected one row for {currency}, found {len(found)}"
        )
    value = sheet.cell_value(found[0], ask_col)
    if isinstance(value, bool) or not isinstance(value, float | int) or not math.isfinite(value) or value <= 0:
        raise DriftError(
            SOURCE,
            where,
            f"{name}, sheet {sheet.name}: the {currency} row's '{ASK_TITLE}' cell "
            f"holds {value!r:.40}; expected a rate in bolívares",
        )
    return day.isoformat(), float(value)
