"""The one long shape every series takes: ``date, country, value[, status]``."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

COLUMNS = ["date", "country", "value"]


def tidy_frame(rows: Iterable[tuple], with_status: bool = False) -> pd.DataFrame:
    """Build the tidy frame from ``(date, country, value[, status])`` tuples.

    Dates may be ``datetime``/``Timestamp`` or ISO strings; missing values (None/NaN)
    are dropped; the result is sorted by country then date.

    >>> tidy_frame([("2019-01-01", "VEN", "1.5"), ("2018-01-01", "VEN", None)])
            date country  value
    0 2019-01-01     VEN    1.5
    """
    columns = COLUMNS + (["status"] if with_status else [])
    frame = pd.DataFrame(list(rows), columns=columns)
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    frame["country"] = frame["country"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype(float)
    if with_status:
        frame["status"] = frame["status"].fillna("").astype(str)
    frame = frame.dropna(subset=["value"])
    return frame.sort_values(["country", "date"], kind="stable").reset_index(drop=True)


def year_start(year: int | str) -> str:
    """The date an annual observation is filed under.

    >>> year_start(2018)
    '2018-01-01'
    """
    return f"{int(year):04d}-01-01"
