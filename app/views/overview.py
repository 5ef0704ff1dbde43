"""What the Overview shows: its four charts and the headline figures, computed from the snapshots.

The page is the app's front door and reruns on every language switch and every visit, so its
figures and headlines are built once per chart, language and data version and then shared by every
session (``overview_figure``, ``cached_headline_figures``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.charts import figures
from app.i18n import number, translator
from app.runtime import cache, data, ui
from loaders.errors import LoaderError


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
    # Streamlit draws an up arrow beside any delta not starting with "-", even a fall: the arrow is chosen here,
    # "down"/"up" only where it points the way the number moved.
    arrow: str = "off"
    note: str | None = None
    note_url: str | None = None  # where an attributed number in the note comes from


# Attributed: the project has no OPEC production series to recompute it from.
OPEC_MEASURES_URL = "https://markets.businessinsider.com/news/stocks/is-venezuela-lying-about-its-oil-output-1031189022"
PRODUCTION_NOTE = {
    "en": "The Energy Institute's “oil production” includes natural gas liquids. OPEC publishes two measures of "
    "Venezuela's crude output that disagree: from secondary sources 681 and from the government's direct "
    "communication 871 kb/d in December 2021 (OPEC Monthly Oil Market Report, as reported by OilPrice.com).",
    "es": "La «producción de petróleo» del Energy Institute incluye los líquidos del gas natural. La OPEP publica dos "
    "medidas de la producción de crudo de Venezuela que no coinciden: según fuentes secundarias, 681, y según la "
    "comunicación directa del gobierno, 871 kb/d en diciembre de 2021 (Informe mensual del mercado petrolero de la "
    "OPEP, según OilPrice.com).",
}


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
        change = round((latest["value"] / base - 1) * 100)
        signed = f"{'−' if change < 0 else '+'}{abs(change)}"
        out.append(
            Headline(
                f"Producción de petróleo {latest['date']:%Y}" if es else f"Oil production {latest['date']:%Y}",
                f"{number(latest['value'], lang)} kb/d",
                (
                    f"{signed} % desde 1998 ({number(base, lang)} kb/d)"
                    if es
                    else f"{signed}% since 1998 ({number(base, lang)} kb/d)"
                ),
                data.source_line([prod], lang),
                arrow="down" if change < 0 else "up" if change > 0 else "off",
                note=PRODUCTION_NOTE[lang],
                note_url=OPEC_MEASURES_URL,
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
            f"en {peak['date']:%Y}" if es else f"in {peak['date']:%Y}",
            data.source_line(["inflation_avg_imf_pct"], lang),
        )
    ]


def _abroad_headline(lang: str) -> list[Headline]:
    es = lang == "es"
    abroad = "displaced_abroad_from_ven_unhcr_persons"
    now = _latest(abroad, "VEN")
    year = f"{now['date']:%Y}"
    if now.get("status") == "provisional":  # UNHCR's latest year is a mid-year figure
        when = f"mediados de {year} (provisional)" if es else f"mid-{year} (provisional)"
    else:
        when = f"fines de {year}" if es else f"end of {year}"
    return [
        Headline(
            "Desplazados en el exterior" if es else "Displaced abroad",
            f"{number(now['value'] / 1e6, lang, 2)} M",
            when,  # as the delta: a label this long is cut off
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
    return cache.build_shared(_overview_figure, chart, lang), None


def _overview_figure(chart: OverviewChart, lang: str) -> go.Figure:
    series_id = chart.series_id
    tr = translator({}, lang)
    frame = data.series(series_id)
    frame = frame[frame["country"] == chart.country]
    cat = data.series_catalog().loc[series_id]
    text = figures.ChartText(
        y_title=cat[f"unit_{lang}"],
        source=data.source_line([series_id], lang),
        left_out=tr("left_out"),
    )
    line = figures.Line(
        frame, cat[f"title_{lang}"], hover_unit=cat[f"unit_{lang}"], frequency=cat["frequency"], period=cat["period"]
    )
    return figures.timeseries_figure(
        [line],
        data.events_for([series_id]),
        text,
        lang=lang,
        log=chart.log,
        x_range=(pd.Timestamp(chart.start), periods.period_end(frame["date"].max(), cat["frequency"])),
        category_names=ui.category_names(lang),
        height=440,
        plot_px=330,  # phone-safe: labels and the source line must fit a 390-px screen
    )


def cached_headline_figures(lang: str) -> list[Headline]:
    """``headline_figures(lang)``, computed once per language and data version and shared: show, do not modify."""
    return cache.build_shared(headline_figures, lang)
