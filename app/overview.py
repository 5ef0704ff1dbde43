"""What the Overview shows: its four charts and the headline figures, computed from the snapshots.

The page is the app's front door and reruns on every language switch and every visit, so its
figures and headlines are built once per chart, language and snapshot and then shared by every
session (``overview_figure``, ``cached_headline_figures``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from loaders.errors import LoaderError

from . import cache, data, figures, ui
from .i18n import number, translator


@dataclass(frozen=True)
class OverviewChart:
    series_id: str
    country: str
    title: dict[str, str]
    start: str
    log: bool = False


OVERVIEW_CHARTS = [
    OverviewChart(
        "oil_price_brent_monthly_usd_per_barrel",
        "WLD",
        {"en": "Oil price: Brent, monthly average", "es": "Precio del petróleo: Brent, promedio mensual"},
        "1988-01-01",
    ),
    OverviewChart(
        "oil_production_ei_thousand_barrels_per_day",
        "VEN",
        {"en": "Venezuela's oil production", "es": "Producción petrolera de Venezuela"},
        "1988-01-01",
    ),
    OverviewChart(
        "inflation_avg_imf_pct",
        "VEN",
        {"en": "Venezuela's inflation (log scale)", "es": "Inflación en Venezuela (escala logarítmica)"},
        "1988-01-01",
        log=True,
    ),
    OverviewChart(
        "displaced_abroad_from_ven_unhcr_persons",
        "VEN",
        {"en": "Venezuelans displaced abroad", "es": "Venezolanos desplazados en el exterior"},
        "1998-01-01",
    ),
]


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    delta: str | None
    source: str


def _value(series_id: str, country: str, year: int) -> float | None:
    frame = data.series(series_id)
    hit = frame[(frame["country"] == country) & (frame["date"].dt.year == year)]
    return float(hit["value"].mean()) if not hit.empty else None


def _latest(series_id: str, country: str) -> pd.Series:
    frame = data.series(series_id)
    return frame[frame["country"] == country].sort_values("date").iloc[-1]


def headline_figures(lang: str) -> list[Headline]:
    """Production now vs 1998, peak inflation, people abroad now: each with its source.

    A headline whose series cannot be loaded is left out (the charts below say which series failed).
    """
    out = []
    for build in (_production_headline, _inflation_headline, _abroad_headline):
        try:
            out += build(lang)
        except LoaderError:
            continue
    return out


def _production_headline(lang: str) -> list[Headline]:
    es = lang == "es"
    out = []
    prod = "oil_production_ei_thousand_barrels_per_day"
    latest = _latest(prod, "VEN")
    base = _value(prod, "VEN", 1998)
    if base:
        share = latest["value"] / base * 100
        out.append(
            Headline(
                f"Producción de petróleo {latest['date']:%Y}" if es else f"Oil production {latest['date']:%Y}",
                f"{number(latest['value'], lang)} kb/d",
                (
                    f"{share:.0f} % del nivel de 1998 ({number(base, lang)})"
                    if es
                    else f"{share:.0f}% of 1998 ({number(base, lang)})"
                ),
                data.source_line([prod], lang),
            )
        )
    return out


def _inflation_headline(lang: str) -> list[Headline]:
    es = lang == "es"
    infl = data.series("inflation_avg_imf_pct")
    actual = infl[(infl["country"] == "VEN") & (infl["status"] == "actual")]
    peak = actual.loc[actual["value"].idxmax()]
    return [
        Headline(
            "Inflación máxima (promedio anual)" if es else "Peak inflation (annual average)",
            f"{number(peak['value'], lang)} %",
            f"{peak['date']:%Y}",
            data.source_line(["inflation_avg_imf_pct"], lang),
        )
    ]


def _abroad_headline(lang: str) -> list[Headline]:
    es = lang == "es"
    abroad = "displaced_abroad_from_ven_unhcr_persons"
    now = _latest(abroad, "VEN")
    return [
        Headline(
            f"Desplazados en el exterior {now['date']:%Y}" if es else f"Displaced abroad {now['date']:%Y}",
            f"{number(now['value'] / 1e6, lang, 2)} M",
            None,
            data.source_line([abroad], lang),
        )
    ]


def overview_figure(chart: OverviewChart, lang: str) -> tuple[go.Figure | None, str | None]:
    """(the chart's figure, None) or (None, why its series could not be loaded).

    The figure is shared by every session: show it, do not modify it.
    """
    frame, error = data.try_series(chart.series_id)
    if frame is None:
        return None, error
    return _overview_figure(chart.series_id, lang, cache.snapshot_key([chart.series_id])), None


@cache.shared(max_entries=4 * len(OVERVIEW_CHARTS))
def _overview_figure(series_id: str, lang: str, snapshot: tuple[str, ...]) -> go.Figure:
    chart = next(c for c in OVERVIEW_CHARTS if c.series_id == series_id)
    tr = translator({}, lang)
    frame = data.series(series_id)
    frame = frame[frame["country"] == chart.country]
    cat = data.series_catalog().loc[series_id]
    text = figures.ChartText(
        y_title=cat[f"unit_{lang}"],
        source=data.source_line([series_id], lang),
        projection=tr("projection"),
        left_out=tr("left_out"),
    )
    line = figures.Line(frame, cat[f"title_{lang}"], hover_unit=cat[f"unit_{lang}"])
    return figures.timeseries_figure(
        [line],
        data.events_for([series_id]),
        text,
        lang=lang,
        log=chart.log,
        x_range=(pd.Timestamp(chart.start), frame["date"].max()),
        category_names=ui.category_names(lang),
        height=440,
        plot_px=330,  # phone-safe: labels and the source line must fit a 390-px screen
    )


HEADLINE_SERIES = [
    "oil_production_ei_thousand_barrels_per_day",
    "inflation_avg_imf_pct",
    "displaced_abroad_from_ven_unhcr_persons",
]


def cached_headline_figures(lang: str) -> list[Headline]:
    """``headline_figures(lang)``, computed once per language and snapshot."""
    return _cached_headline_figures(lang, cache.snapshot_key(HEADLINE_SERIES))


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_headline_figures(lang: str, snapshot: tuple[str, ...]) -> list[Headline]:
    return headline_figures(lang)
