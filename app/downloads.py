"""Downloads: the plotted data as CSV with a provenance header, safe to open in a spreadsheet.

No cell a spreadsheet reads from the file starts with a formula character (= + - @, tab, CR), whether
it splits lines on commas or, as Spanish-locale Excel does, on semicolons: text cells, column names
and header lines are defused; numbers stay numbers.

>>> import pandas as pd
>>> frame = pd.DataFrame({"date": ["2020-04-20"], "country": ["=HYPERLINK(1)"], "value": [-36.98]})
>>> print(csv_with_provenance(frame, ["Source: FRED (DCOILWTICO)", "title: a;=cmd|' /C calc'!A0"]).decode())
# Source: FRED (DCOILWTICO)
# title: a;'=cmd|' /C calc'!A0
date,country,value
2020-04-20,'=HYPERLINK(1),-36.98
<BLANKLINE>
"""

from __future__ import annotations

import io
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A separator a spreadsheet may split on, then (spaces and) a formula character: the start of a new cell.
# A quote may open the cell: `Brent,"=HYPERLINK(...)"` is a cell holding =HYPERLINK(...).
_CELL_START_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n][ \t]*\"?)(?=[=+\-@])")


def defuse(text: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.

    Also defused: a formula character after leading blanks, or after a comma, semicolon, tab or bar
    inside the text (a cell of its own once a spreadsheet splits the line there).

    >>> defuse("=1+1"), defuse("  @SUM(A1)"), defuse("Brent; =2+3"), defuse(-36.98), defuse("Venezuela")
    ("'=1+1", "'  @SUM(A1)", "Brent; '=2+3", -36.98, 'Venezuela')
    >>> print(defuse('series: x (Brent,"=HYPERLINK(""http://e.example"",""click"")", usd)'))
    series: x (Brent,"'=HYPERLINK(""http://e.example"",""click"")", usd)
    """
    if not isinstance(text, str):
        return text
    text = _CELL_START_AFTER_SEPARATOR.sub(r"\1'", text)
    if text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n").startswith(FORMULA_STARTS[:4]):
        return "'" + text
    return text


def csv_with_provenance(frame: pd.DataFrame, header_lines: list[str]) -> bytes:
    """CSV bytes: ``# ``-prefixed provenance lines (source, licence, citation), then the table."""
    safe = frame.copy()
    safe.columns = [defuse(str(column)) for column in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    buffer = io.StringIO()
    for line in header_lines:
        buffer.write("# " + str(defuse(" ".join(str(line).split()))) + "\n")
    safe.to_csv(buffer, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return buffer.getvalue().encode("utf-8")


def provenance_header(catalog: pd.DataFrame, series_ids: list[str], lang: str) -> list[str]:
    """The CSV header lines for these series: title and unit, source, edition, retrieval and licence, citation."""
    header = []
    for sid in dict.fromkeys(series_ids):
        row = catalog.loc[sid]
        header += [
            f"series: {sid} ({row['title_' + lang]}, {row['unit_' + lang]})",
            f"source: {row['publisher']}, code {row['code']}, {row['canonical_url']}",
            f"edition: {row['edition_' + lang]}",
            f"retrieved: {row['retrieved_at']}; licence: {row['licence']}",
            f"citation: {row['citation']}",
        ]
    return header
