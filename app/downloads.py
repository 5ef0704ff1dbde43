"""Downloads: the plotted data as CSV with a provenance header, safe to open in a spreadsheet.

>>> import pandas as pd
>>> frame = pd.DataFrame({"date": ["2020-04-20"], "country": ["=HYPERLINK(1)"], "value": [-36.98]})
>>> print(csv_with_provenance(frame, ["Source: FRED (DCOILWTICO)"]).decode())
# Source: FRED (DCOILWTICO)
date,country,value
2020-04-20,'=HYPERLINK(1),-36.98
<BLANKLINE>
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_with_provenance(frame: pd.DataFrame, header_lines: list[str]) -> bytes:
    """CSV bytes: ``# ``-prefixed provenance lines (source, licence, citation), then the table."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    buffer = io.StringIO()
    for line in header_lines:
        buffer.write("# " + str(defuse(" ".join(str(line).split()))) + "\n")
    safe.to_csv(buffer, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return buffer.getvalue().encode("utf-8")
