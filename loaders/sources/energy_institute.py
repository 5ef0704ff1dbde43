"""Energy Institute Statistical Review of World Energy: one sheet of the all-data workbook.

The entry's ``code`` is the sheet name. A sheet has title rows, a header row of years
(``Thousand barrels daily | 1965 | 1966 | ... | 2023``, then growth and share columns)
and one row per country, named in the first column:

>>> from loaders.http import Http
>>> entry = {"code": "Oil Production - barrels", "countries": ["VEN"]}
>>> frame = parse([r.body for r in fetch(entry, Http())], entry)  # doctest: +SKIP
>>> frame.set_index("date")["value"]["1998-01-01"]  # doctest: +SKIP
3447.309
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from ..errors import DriftError, ValidationError
from ..http import Http, Response
from ..tidy import tidy_frame, year_start

SOURCE = "energy_institute"
SHORT_NAME = ("Energy Institute", "Energy Institute")
ID_TAG = "ei"
URL = "https://www.energyinst.org/__data/assets/excel_doc/0020/1540550/EI-Stats-Review-All-Data.xlsx"
ISO3 = {
    "Venezuela": "VEN",
    "Colombia": "COL",
    "Brazil": "BRA",
    "Ecuador": "ECU",
    "Mexico": "MEX",
    "Argentina": "ARG",
    "Peru": "PER",
    "Nigeria": "NGA",
    "Saudi Arabia": "SAU",
    "Norway": "NOR",
    "US": "USA",
    "Total World": "WLD",
}
NAMES = {iso3: name for name, iso3 in ISO3.items()}
MISSING = {"", "-", "n/a", "^", "w", "♦"}  # blank, none, not available, the footnote marks for "less than 0.05"
MIN_YEARS = 3  # a header row has at least this many years in a row
REQUIRED = "Venezuela"  # the row whose absence means the layout changed; comparators may come and go


def fetch(entry: dict, http: Http) -> list[Response]:
    """The whole workbook, one file shared by every sheet's series."""
    return [http.get(SOURCE, URL)]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The entry's countries from sheet ``entry["code"]``, one row per country and year.

    The Venezuela row must be there; a comparator the sheet does not list is left out.
    """
    sheet = entry["code"]
    unknown = [c for c in entry["countries"] if c not in NAMES]
    if unknown:
        raise ValidationError(f"energy_institute series {entry.get('id')}: no workbook row name for {unknown}")
    try:
        book = openpyxl.load_workbook(io.BytesIO(bodies[0]), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - a third-party parser on bytes from the network fails in many ways
        start = "" if bodies[0][:2] == b"PK" else f": starts {bodies[0][:40]!r}"  # a zip's bytes say nothing
        raise DriftError(
            SOURCE, URL, f"answer is not an .xlsx workbook ({type(e).__name__}: {str(e)[:80]}){start}"
        ) from None
    try:
        names = {name.strip(): name for name in book.sheetnames}  # some sheet names end in a space
        if sheet.strip() not in names:
            raise DriftError(
                SOURCE, URL, f"layout changed: sheet {sheet!r} not in workbook; sheets are: {book.sheetnames}"
            )
        ws = book[names[sheet.strip()]]
        ws.reset_dimensions()  # read every row even if the file's stated dimensions are wrong
        rows = list(ws.iter_rows(values_only=True))
        modified = book.properties.modified
    except DriftError:
        raise
    except Exception as e:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise DriftError(SOURCE, URL, f"sheet {sheet!r} cannot be read ({type(e).__name__}: {str(e)[:80]})") from None
    finally:
        book.close()

    header = next((i for i, row in enumerate(rows) if len(_years(row)) >= MIN_YEARS), None)
    if header is None:
        raise DriftError(
            SOURCE, URL, f"layout changed: sheet {sheet!r} has no header row of years (e.g. 1965, 1966, ...)"
        )
    years = _years(rows[header])
    by_name: dict[str, tuple] = {}
    for row in rows[header + 1 :]:
        if row and isinstance(row[0], str):
            by_name.setdefault(row[0].strip(), row)
    if REQUIRED not in by_name:
        raise DriftError(SOURCE, URL, f"layout changed: sheet {sheet!r} has no row named {REQUIRED!r}")

    out = []
    for iso3 in entry["countries"]:
        row = by_name.get(NAMES[iso3], ())  # a comparator this sheet does not list gets no rows
        for col, year in years:
            cell = row[col] if col < len(row) else None
            out.append((year_start(year), iso3, _number(cell, sheet, NAMES[iso3], year)))
    frame = tidy_frame(out)
    if modified:
        frame.attrs["source_last_updated"] = modified.isoformat() if hasattr(modified, "isoformat") else str(modified)
    return frame


def _years(row: tuple) -> list[tuple[int, int]]:
    """``(column, year)`` for the run of increasing years that starts at the row's first year cell.

    The run stops at the first cell that is not a later year: the header repeats the last year
    over its growth-rate and share columns (``... 2022, 2023, 2023, '2013-23', 2023``).
    """
    run: list[tuple[int, int]] = []
    for col, cell in enumerate(row[1:], start=1):
        year = _year(cell)
        if year is None or (run and year <= run[-1][1]):
            if run:
                break
            continue
        run.append((col, year))
    return run


def _year(cell: object) -> int | None:
    if isinstance(cell, str) and cell.strip().isdigit():
        cell = int(cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool) and 1900 <= cell <= 2100:
        return cell
    return None


def _number(cell: object, sheet: str, name: str, year: int) -> float | None:
    """A cell's value; blanks and the workbook's 'not available' marks are missing."""
    if cell is None or isinstance(cell, str) and cell.strip() in MISSING:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    raise DriftError(SOURCE, URL, f"sheet {sheet!r}, row {name!r}, {year}: {cell!r} is not a number")
