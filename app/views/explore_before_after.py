"""Explore's before/after comparison: each series' change over the year before an event and the year after."""

from __future__ import annotations

import pandas as pd

from app.i18n import number, translator
from app.views.explore_state import TEXT
from loaders.metadata import country_name


def _asof(frame: pd.DataFrame, when: pd.Timestamp, tolerance: pd.Timedelta) -> tuple[pd.Timestamp | None, float]:
    """The last observation on or before ``when`` (within ``tolerance``): its date and value."""
    earlier = frame[(frame["date"] <= when) & (frame["date"] > when - tolerance)]
    if earlier.empty:
        return None, float("nan")
    row = earlier.sort_values("date").iloc[-1]
    return row["date"], float(row["value"])


def _change(before: float, after: float, points: bool) -> float:
    if pd.isna(before) or pd.isna(after):
        return float("nan")
    if points:
        return after - before
    if before <= 0:
        return float("nan")  # a percent change from zero or a negative value means nothing
    return (after / before - 1.0) * 100.0


def before_after(frame: pd.DataFrame, event_date: pd.Timestamp, frequency: str, points: bool = False) -> pd.DataFrame:
    """Per country: the value 12 months before the event, at it and 12 months after, and the two changes.

    Monthly and daily series use the last observation on or before each date (the month's value for a
    monthly series); annual series use the values of the year before, the event's year and the year after.
    Changes are in percent, or in points (``points=True``) for series that are already percentages, where a
    percent change of a percentage would mislead. A percent change from zero or a negative value is NaN.

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2001-01-01", "2002-01-01", "2003-01-01"]),
    ...                   "country": "VEN", "value": [100.0, 110.0, 55.0]})
    >>> out = before_after(f, pd.Timestamp("2002-04-11"), "annual")
    >>> out[["change_before", "change_after"]].round(1).values.tolist()
    [[10.0, -50.0]]
    """
    columns = ["country", "before_date", "before", "at_date", "at", "after_date", "after"]
    columns += ["change_before", "change_after"]
    event_date = pd.Timestamp(event_date)
    rows = []
    for country, group in frame.groupby("country", sort=False):
        if frequency == "annual":
            by_year = group.groupby(group["date"].dt.year)["value"].mean()
            year = event_date.year
            dates = [pd.Timestamp(year=y, month=1, day=1) for y in (year - 1, year, year + 1)]
            values = [float(by_year.get(y, float("nan"))) for y in (year - 1, year, year + 1)]
            dates = [d if not pd.isna(v) else None for d, v in zip(dates, values, strict=True)]
        else:
            tolerance = pd.Timedelta(days=32 if frequency == "monthly" else 8)
            found = [_asof(group, event_date + pd.DateOffset(months=m), tolerance) for m in (-12, 0, 12)]
            dates, values = [d for d, _ in found], [v for _, v in found]
        rows.append(
            {
                "country": country,
                "before_date": dates[0],
                "before": values[0],
                "at_date": dates[1],
                "at": values[1],
                "after_date": dates[2],
                "after": values[2],
                "change_before": _change(values[0], values[1], points),
                "change_after": _change(values[1], values[2], points),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def is_percentage(unit_code: str) -> bool:
    """Units that are already percentages or rates (changes in them are shown in points)."""
    return str(unit_code).startswith("pct") or "per_100k" in str(unit_code)


def _number(value: float, lang: str = "en") -> str:
    """A value as the reader writes numbers: 1,051 / 69.08 in English, 1.051 / 69,08 in Spanish.

    >>> _number(1051.2), _number(679.74), _number(69.081, "es"), _number(0.01234)
    ('1,051', '680', '69,08', '0.0123')
    """
    if pd.isna(value):
        return "—"
    size = abs(value)
    if size >= 1:
        return number(value, lang, 0 if size >= 100 else 2)
    small = f"{value:.3g}"
    return small.replace(".", ",") if lang == "es" else small


def _when(date: pd.Timestamp | None, frequency: str) -> str:
    if date is None or pd.isna(date):
        return ""
    return (
        f"{date:%Y}" if frequency == "annual" else (f"{date:%Y-%m}" if frequency == "monthly" else f"{date:%Y-%m-%d}")
    )


def _signed(value: float, points: bool, lang: str) -> str:
    if pd.isna(value):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    number = f"{abs(value):,.1f}"
    if lang == "es":
        number = number.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{sign}{number} " + (translator(TEXT, lang)("ba_points") if points else "%")


def before_after_rows(results: list[tuple[str, pd.DataFrame, str, bool]], lang: str) -> pd.DataFrame:
    """A readable table: one row per series and country, values with their dates, changes signed.

    ``results`` holds (series title, before_after frame, frequency, points) per series. All text is plain.
    """
    tr = translator(TEXT, lang)
    annual_only = all(freq == "annual" for _, _, freq, _ in results)
    headers = (
        [tr("ba_year_before"), tr("ba_event_year"), tr("ba_year_after")]
        if annual_only
        else [tr("ba_before"), tr("ba_at"), tr("ba_after")]
    )
    out = []
    for title, frame, freq, points in results:
        for row in frame.itertuples():
            cells = [
                f"{_number(getattr(row, key), lang)} ({_when(getattr(row, key + '_date'), freq)})"
                if not pd.isna(getattr(row, key))
                else "—"
                for key in ("before", "at", "after")
            ]
            out.append(
                [title, country_name(row.country, lang), *cells]
                + [_signed(row.change_before, points, lang), _signed(row.change_after, points, lang)]
            )
    columns = [tr("ba_series"), tr("ba_country"), *headers, tr("ba_change_before"), tr("ba_change_after")]
    return pd.DataFrame(out, columns=columns)
