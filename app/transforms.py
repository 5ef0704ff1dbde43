"""Pure transforms on tidy frames (``date, country, value[, status]``): frequency, change from a
year ago, index to a base year, log-scale safety and thinning for drawing.

>>> import pandas as pd
>>> f = pd.DataFrame({"date": pd.to_datetime(["2019-01-01", "2020-01-01"]), "country": "VEN", "value": [50.0, 75.0]})
>>> change_from_year_ago(f)["value"].tolist()
[50.0]
>>> index_to_year(f, 2019)["value"].tolist()
[100.0, 150.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FREQUENCY_ORDER = {"daily": 0, "monthly": 1, "annual": 2}
_PERIOD = {"monthly": "M", "annual": "Y"}


def to_frequency(frame: pd.DataFrame, native: str, wanted: str) -> pd.DataFrame:
    """Average to a coarser frequency (daily -> monthly -> annual); a finer one than native is a no-op.

    Dates stay on the first day of the period. A period takes the least firm status of its values
    (an annual average mixing actuals and projections is marked ``projection``; with estimates, ``estimate``).
    """
    if FREQUENCY_ORDER.get(wanted, 0) <= FREQUENCY_ORDER.get(native, 0) or frame.empty:
        return frame
    period = frame["date"].dt.to_period(_PERIOD[wanted]).dt.start_time
    grouped = frame.assign(date=period).groupby(["country", "date"], sort=True)
    out = grouped["value"].mean().reset_index()
    if "status" in frame.columns:
        out["status"] = grouped["status"].agg(_least_firm).values
    return out[frame.columns.tolist()]


# From the least to the most firm: a period with any projected value is a projection, and so on.
_FIRMNESS = ("projection", "estimate", "provisional")


def _least_firm(statuses: pd.Series) -> str:
    return next((s for s in _FIRMNESS if (statuses == s).any()), statuses.iloc[0])


def change_from_year_ago(frame: pd.DataFrame) -> pd.DataFrame:
    """Percent change from the observation a year earlier (the closest within 7 days before, for daily data).

    Rows without an observation a year earlier, or whose year-earlier value is zero, are dropped.
    For each date, the year-earlier observation is the last one whose date a year on falls at most 7 days
    before it (what ``pd.merge_asof(direction="backward", tolerance=7 days)`` finds), looked up with
    ``numpy.searchsorted`` in each country's dates: a few array operations instead of a merge per country.
    """
    if frame.empty:
        return frame
    out = []
    for _, group in frame.sort_values("date").groupby("country", sort=True):
        dates = group["date"]
        if dates.isna().any():
            raise ValueError("Merge keys contain null values on left side")
        a_year_on = (dates + pd.DateOffset(years=1)).to_numpy()
        dates = dates.to_numpy()
        values = group["value"].to_numpy()
        earlier_at = np.searchsorted(a_year_on, dates, side="right") - 1
        found = earlier_at >= 0
        found[found] &= dates[found] - a_year_on[earlier_at[found]] <= np.timedelta64(7, "D")
        earlier = np.full(len(values), np.nan)
        earlier[found] = values[earlier_at[found]]
        keep = ~np.isnan(earlier) & (earlier != 0)
        out.append(group.iloc[np.flatnonzero(keep)].assign(value=(values[keep] / earlier[keep] - 1.0) * 100.0))
    return pd.concat(out, ignore_index=True)[frame.columns.tolist()] if out else frame.iloc[0:0]


def index_to_year(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Index each country's series to 100 at its average over ``base_year``; countries without it are dropped."""
    base = frame[frame["date"].dt.year == base_year].groupby("country")["value"].mean()
    base = base[base != 0]
    kept = frame[frame["country"].isin(base.index)].copy()
    if kept.empty:
        return kept.reset_index(drop=True)
    kept["value"] = kept["value"] / kept["country"].map(base) * 100.0
    return kept.reset_index(drop=True)


def split_for_log(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows a log axis can show, rows it cannot: zero or negative), so the chart can say what it left out."""
    positive = frame["value"] > 0
    return frame[positive], frame[~positive]


def thin_for_drawing(frame: pd.DataFrame, max_points: int = 2000) -> pd.DataFrame:
    """At most about ``max_points`` rows per country, keeping each bucket's first, minimum and maximum.

    Extremes survive (WTI's -36.98 on 2020-04-20, the 2008 peak); the line's shape stays honest.
    """
    parts = []
    for _, group in frame.groupby("country", sort=True):
        if len(group) <= max_points:
            parts.append(group)
            continue
        group = group.sort_values("date").reset_index(drop=True)
        bucket = group.index // max(1, len(group) // (max_points // 3))
        keep = set(group.groupby(bucket)["value"].idxmin()) | set(group.groupby(bucket)["value"].idxmax())
        keep |= set(group.groupby(bucket).head(1).index) | {len(group) - 1}
        parts.append(group.loc[sorted(keep)])
    return pd.concat(parts, ignore_index=True) if parts else frame


# Longest step between two drawn values that is not a missing period. Daily series skip weekends and holidays
# and are thinned for drawing (about three weeks between kept points), so only a quarter without a value counts.
_LONGEST_STEP = {"annual": pd.DateOffset(years=1), "monthly": pd.DateOffset(months=1), "daily": pd.Timedelta(days=92)}


def missing_periods(dates: np.ndarray, frequency: str) -> np.ndarray:
    """For each pair of neighbouring dates, True when at least one whole period between them has no value,
    so a chart can break its line there instead of bridging the gap (literacy: 1990 → 2001).

    >>> d = pd.to_datetime(["1990-01-01", "2001-01-01", "2002-01-01"]).to_numpy()
    >>> missing_periods(d, "annual").tolist()
    [True, False]
    """
    index = pd.DatetimeIndex(dates)
    if len(index) < 2:
        return np.zeros(0, dtype=bool)
    step = _LONGEST_STEP.get(frequency, _LONGEST_STEP["daily"])
    return np.asarray(index[1:] > index[:-1] + step)
