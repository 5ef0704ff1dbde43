"""Monthly data for events that happened in months: the bolívar per US dollar chained across the
redenominations (log scale, the redenominations marked) and US net oil imports from Venezuela (the
2002–03 oil shutdown). Pure builders: frames, events and catalog rows in, a Plotly figure out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.charts import figures
from app.i18n import significant

CHAINED = "exchange_rate_chained_ves_per_usd"
IMPORTS = "oil_net_imports_us_from_ven_eia_thousand_barrels_per_day"
# The unit FRED publishes a month in, by the redenomination that introduced it (see the catalog's input_units).
UNIT_NAMES = {
    "2008-01-01": {"en": "bolívares fuertes", "es": "bolívares fuertes"},
    "2018-08-20": {"en": "bolívares soberanos", "es": "bolívares soberanos"},
    "2021-10-01": {"en": "bolívares (2021 unit)", "es": "bolívares (unidad de 2021)"},
}


@dataclass(frozen=True)
class MonthlyChart:
    series_id: str
    title: dict[str, str]
    log: bool
    start: str
    end: str | None = None


MONTHLY_CHARTS = [
    MonthlyChart(
        CHAINED,
        {
            "en": "Bolívares per US dollar, official rate, in today's bolívares (log scale)",
            "es": "Bolívares por dólar, tipo oficial, en bolívares de hoy (escala logarítmica)",
        },
        log=True,
        start="1995-01-01",
    ),
    MonthlyChart(
        IMPORTS,
        {
            "en": "US net oil imports from Venezuela, monthly: the 2002–03 shutdown",
            "es": "Importaciones netas de petróleo de EE. UU. desde Venezuela, mensuales: el paro de 2002–03",
        },
        log=False,
        start="1998-01-01",
        end="2008-12-31",
    ),
]


def as_published(frame: pd.DataFrame, entry: dict, lang: str) -> list[str]:
    """Per row of the chained series: its value in the unit FRED published it in ("0.17 bolívares fuertes")."""
    factors = sorted((str(r["date"]), int(r["factor"])) for r in entry["redenominations"])
    units = sorted((str(u["from"]), str(u["unit_of"])) for u in entry["input_units"])
    texts = []
    for date, value in zip(frame["date"], frame["value"], strict=True):
        unit = next(u for start, u in reversed(units) if start <= f"{date:%Y-%m}")
        factor = float(np.prod([f for day, f in factors if day > unit]))
        texts.append(f"{significant(value * factor, lang)} {UNIT_NAMES.get(unit, {}).get(lang, unit)}")
    return texts


def chained_hover(fig_dict_trace: dict, today: list[str], then: list[str], lang: str) -> None:
    """Replace the line's value texts (which round tiny values to 0) with the full decimal and the published value."""
    label = {"en": "as published then", "es": "tal como se publicó"}[lang]
    rows = iter(zip(today, then, strict=True))
    custom = fig_dict_trace["customdata"]
    for i, row in enumerate(custom):
        if row is None or row[0] is None:
            continue
        now, published = next(rows)
        custom[i] = [row[0], f"{now}<br>{label}: {published}"]


def monthly_figure(
    chart: MonthlyChart,
    frame: pd.DataFrame,
    entry: dict,
    events: pd.DataFrame | None,
    text: figures.ChartText,
    lang: str,
    category_names: dict[str, str] | None = None,
) -> go.Figure:
    """One monthly series with its events; the chained rate hovers its value today and as published."""
    frame = frame.sort_values("date").reset_index(drop=True)
    line = figures.Line(frame, entry["title"][lang], hover_unit="", frequency="monthly", period="average")
    if chart.series_id != CHAINED:
        line.hover_unit = text.y_title
    end = pd.Timestamp(chart.end) if chart.end else frame["date"].max() + pd.offsets.MonthEnd(1)
    fig = figures.timeseries_figure(
        [line],
        events,
        text,
        lang=lang,
        log=chart.log,
        x_range=(pd.Timestamp(chart.start), end),
        category_names=category_names,
        height=460,
        plot_px=330,  # phone-safe: labels and the source line must fit a 390-px screen
    )
    if chart.series_id == CHAINED:
        today = [f"{significant(v, lang)} {text.y_title}" for v in frame["value"]]
        then = as_published(frame, entry, lang)
        trace = fig.data[0].to_plotly_json()
        trace["customdata"] = [list(row) if row is not None else None for row in trace["customdata"]]
        chained_hover(trace, today, then, lang)
        fig.data[0].customdata = trace["customdata"]
        fig.update_yaxes(exponentformat="power", dtick=3)  # a tick every thousandfold: 10⁻¹², 10⁻⁹ … 10³
    return fig
