"""The one long shape every series takes: ``date, country, value[, status]``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import pandas as pd

from .errors import DriftError

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


def json_answer(source: str, url: str, body: bytes) -> object:
    """A publisher's JSON answer, or DriftError saying what came instead (an HTML page, broken JSON)."""
    if body.lstrip()[:1] == b"<":
        raise DriftError(source, url, f"expected JSON, got an HTML or XML page: {body[:60]!r}")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as e:
        reason = str(e)[:80] or type(e).__name__
        raise DriftError(source, url, f"expected JSON, got {body[:60]!r} (not valid JSON: {reason})") from None


def finite_number(value: object) -> bool:
    """A JSON number (not a boolean) a float can hold: no NaN, no infinity, no 400-digit integer.

    >>> finite_number(1.5), finite_number(True), finite_number(float("nan")), finite_number(10**400)
    (True, False, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
