"""What the Overview shows: its four charts and the headline figures, computed from the snapshots."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import data
from .i18n import number


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
    """Production now vs 1998, peak inflation, people abroad now: each with its source."""
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
    infl = data.series("inflation_avg_imf_pct")
    actual = infl[(infl["country"] == "VEN") & (infl["status"] == "actual")]
    peak = actual.loc[actual["value"].idxmax()]
    out.append(
        Headline(
            "Inflación máxima (promedio anual)" if es else "Peak inflation (annual average)",
            f"{number(peak['value'], lang)} %",
            f"{peak['date']:%Y}",
            data.source_line(["inflation_avg_imf_pct"], lang),
        )
    )
    abroad = "displaced_abroad_from_ven_unhcr_persons"
    now = _latest(abroad, "VEN")
    out.append(
        Headline(
            f"Desplazados en el exterior {now['date']:%Y}" if es else f"Displaced abroad {now['date']:%Y}",
            f"{number(now['value'] / 1e6, lang, 2)} M",
            None,
            data.source_line([abroad], lang),
        )
    )
    return out
