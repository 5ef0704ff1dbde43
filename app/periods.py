"""Where a value is drawn on the time axis and how its date is written, from its frequency and period.

Snapshots store every value on the first day of its period (2018-01-01 for 2018). A chart draws an
annual average or flow at the middle of its year, an end-of-period stock at the end of it, and
writes the date in the reader's language: "2018 (annual average)", "end of 2018", "fin de 2018".
UNHCR's provisional figure for its latest year is a mid-year count, so it is drawn and named at mid-year.

>>> when(pd.Timestamp("2018-01-01"), "annual", "end_of_period", "es")
'fin de 2018'
>>> when(pd.Timestamp("2014-06-01"), "monthly", "average", "en")
'June 2014 (monthly average)'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],  # fmt: skip
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],  # fmt: skip
}
# {p}: the period's name ("2018", "June 2014"); by frequency, then period, then language.
LABELS = {
    "annual": {
        "average": {"en": "{p} (annual average)", "es": "{p} (promedio anual)"},
        "flow": {"en": "{p} (whole year)", "es": "{p} (año completo)"},
        "end_of_period": {"en": "end of {p}", "es": "fin de {p}"},
        "mid_year": {"en": "mid-{p}", "es": "mediados de {p}"},
    },
    "monthly": {
        "average": {"en": "{p} (monthly average)", "es": "{p} (promedio mensual)"},
        "flow": {"en": "{p} (whole month)", "es": "{p} (mes completo)"},
        "end_of_period": {"en": "end of {p}", "es": "fin de {p}"},
        "mid_year": {"en": "mid-{p}", "es": "mediados de {p}"},
    },
}
# Axis ticks Plotly writes in English month names ("Jan 2013"); numeric ones read the same in Spanish.
# Plotly takes the first stop whose range holds the tick step (ranges share their ends): days, months, years.
SPANISH_TICKS = [
    {"dtickrange": [None, 7 * 86_400_000], "value": "%d/%m/%Y"},
    {"dtickrange": [7 * 86_400_000, "M6"], "value": "%m/%Y"},
    {"dtickrange": ["M6", None], "value": "%Y"},
]


def infer_frequency(dates: np.ndarray) -> str:
    """'annual' when every date is a 1 January, 'monthly' when every one is a first of the month, else 'daily'."""
    index = pd.DatetimeIndex(dates)
    if len(index) and (index.day == 1).all():
        return "annual" if (index.month == 1).all() else "monthly"
    return "daily"


def reading(period: str | None, status: str) -> str | None:
    """How a value is read: its period, except a provisional stock, which is a mid-year count (UNHCR)."""
    if period == "end_of_period" and status == "provisional":
        return "mid_year"
    return period


def positions(dates: np.ndarray, frequency: str, period: str | None, statuses: np.ndarray | None = None) -> np.ndarray:
    """Where to draw each value: the middle of its period (average, flow), or its end (end-of-period stock).

    Daily values, and values whose period the catalog does not say, stay on their date.
    """
    index = pd.DatetimeIndex(dates)
    if frequency not in LABELS or period is None:
        return index.to_numpy()
    readings = [reading(period, s) for s in statuses] if statuses is not None else [period] * len(index)
    if frequency == "annual":
        middle, end = index + pd.DateOffset(months=6), index + pd.DateOffset(years=1) - pd.Timedelta(days=1)
    else:
        middle, end = index + pd.Timedelta(days=14), index + pd.offsets.MonthEnd(0)
    at_end = np.array([r == "end_of_period" for r in readings], dtype=bool)
    return np.where(at_end, end.to_numpy(), middle.to_numpy())


def when(date: pd.Timestamp, frequency: str, period: str | None, lang: str, status: str = "actual") -> str:
    """The date a value stands for, in words of the reader's language."""
    months = MONTHS.get(lang, MONTHS["en"])
    if frequency == "daily":
        return (
            f"{date.day} {months[date.month - 1]} {date.year}"
            if lang == "en"
            else (f"{date.day} de {months[date.month - 1]} de {date.year}")
        )
    if frequency == "monthly":
        name = f"{months[date.month - 1]} {date.year}" if lang == "en" else f"{months[date.month - 1]} de {date.year}"
    else:
        name = str(date.year)
    labels = LABELS.get(frequency, {}).get(reading(period, status) or "")
    return (labels.get(lang) or labels["en"]).format(p=name) if labels else name


def period_end(date: pd.Timestamp, frequency: str) -> pd.Timestamp:
    """The last day of the period a value stored on ``date`` covers: an axis ending there shows the value whole."""
    if frequency == "annual":
        return pd.Timestamp(date.year, 12, 31)
    if frequency == "monthly":
        return date + pd.offsets.MonthEnd(0)
    return date


def axis_ticks(lang: str) -> dict:
    """The x axis's tick formats for the reader's language (Plotly knows English month names only)."""
    return {"tickformatstops": SPANISH_TICKS} if lang == "es" else {}
