"""The map of where people live: a choropleth of one year's counts by host country, drawn from outlines passed
in the figure itself, so the browser fetches nothing (see ``host_map_figure``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.charts import figures
from app.geography import MapGeometry
from app.i18n import number, plotly_separators
from app.text import escape_plotly

NO_DATA_COLOUR = "#d4d4d4"
# Pale yellow to dark blue (ColorBrewer YlGnBu): readable with colour-blindness, and its palest end is still
# clearly not the grey of "no figure".
COLOUR_SCALE = [[0.0, "#ffffcc"], [0.25, "#a1dab4"], [0.5, "#41b6c4"], [0.75, "#2c7fb8"], [1.0, "#253494"]]
# Centred between the Americas and Europe, where nearly every host is; the reader can pan to the rest.
CENTRE = {"lon": -40.0, "lat": 6.0}
ZOOM = 1.35


# What a map's and a host chart's values count, for the chart's words ("52 host countries, largest first").
HOST_COUNTRIES = {"en": "host countries", "es": "países de acogida"}


@dataclass(frozen=True)
class MapWords:
    """The map's own words, in the reader's language: the unit, "of the total" after a share, "no figure"."""

    unit: str
    share_of_total: str
    no_data: str


def with_written_numbers(hosts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Host rows with each count (``people``) and share (``share_text``) written in the reader's number format,
    as the map's hover and the host tables show them.

    >>> f = pd.DataFrame({"value": [1234567.0], "share": [12.25]})
    >>> with_written_numbers(f, "es")[["people", "share_text"]].values.tolist()
    [['1.234.567', '12,2 %']]
    """
    return hosts.assign(
        people=[number(v, lang) for v in hosts["value"]],
        share_text=[f"{number(s, lang, 1)} %" for s in hosts["share"]],
    )


def host_map_figure(
    rows: pd.DataFrame,
    geometry: MapGeometry,
    text: figures.ChartText,
    words: MapWords,
    lang: str = "en",
    phone: bool = False,
) -> go.Figure:
    """Each host country coloured by its count (``rows``: country, name, value, share; value NaN = no figure),
    countries without a figure in grey, small countries without an outline as dots on the same scale. On a
    ``phone`` the map is lower (it is as wide as the screen) and the colour bar names every other power of ten.

    Plotly draws a map's coastlines and land from a topojson it downloads, and downloads it whenever the first
    trace on the map names its places (as a choropleth does). So the dots, placed by latitude and longitude,
    come first, and no base layer is shown: everything drawn is in the figure.
    """
    has_figure = rows["value"].notna() & (rows["value"] > 0)
    outlined = set(geometry.outlined())
    counted = with_written_numbers(rows[has_figure], lang)
    counted["label"] = [escape_plotly(name) for name in counted["name"]]
    on_map = counted[counted["country"].isin(outlined)]
    dots = counted[~counted["country"].isin(outlined) & counted["country"].isin(geometry.centres)]
    missing = rows[~has_figure & rows["country"].isin(outlined)]
    hover = (
        f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}} {escape_plotly(words.unit)}"
        f"<br>%{{customdata[2]}} {escape_plotly(words.share_of_total)}<extra></extra>"
    )
    # Colombia alone hosts millions, many countries a few dozen: colours follow the order of magnitude (log10),
    # or every country but a handful would be the palest colour.
    fig = go.Figure()
    fig.add_trace(
        go.Scattergeo(
            lat=[geometry.centres[code][0] for code in dots["country"]],
            lon=[geometry.centres[code][1] for code in dots["country"]],
            mode="markers",
            marker={
                "color": np.log10(dots["value"].to_numpy(dtype=float)),
                "coloraxis": "coloraxis",
                "size": 9,
                "line": {"color": "#333", "width": 1},
            },
            customdata=dots[["label", "people", "share_text"]].to_numpy(),
            hovertemplate=hover,
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Choropleth(
            geojson=_outlines_of(geometry, missing["country"]),
            featureidkey="id",
            locations=missing["country"],
            z=[0] * len(missing),
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            showscale=False,
            marker={"line": {"color": "white", "width": 0.5}},
            customdata=[[escape_plotly(name)] for name in missing["name"]],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{escape_plotly(words.no_data)}<extra></extra>",
            name=words.no_data,
            showlegend=True,
        )
    )
    fig.add_trace(
        go.Choropleth(
            geojson=_outlines_of(geometry, on_map["country"]),
            featureidkey="id",
            locations=on_map["country"],
            z=np.log10(on_map["value"].to_numpy(dtype=float)),
            coloraxis="coloraxis",
            marker={"line": {"color": "white", "width": 0.5}},
            customdata=on_map[["label", "people", "share_text"]].to_numpy(),
            hovertemplate=hover,
            showlegend=False,
            # Every host with a figure, outlined or a dot, for charts/describe (read largest first).
            meta={
                "ranked": words.unit,
                "of": HOST_COUNTRIES.get(lang, HOST_COUNTRIES["en"]),
                "labels": list(counted["name"]),
                "values": list(counted["value"]),
            },
        )
    )
    figures.base_layout(fig, text, 400 if phone else 520, plot_px=figures.PHONE_SAFE_PX)
    top = max(math.ceil(math.log10(float(counted["value"].max()))) if not counted.empty else 1, 1)
    powers = list(range(0, top + 1, 2 if phone else 1))
    fig.update_layout(
        title={"text": ""},  # the page shows the title above the map, where it wraps on a phone
        margin={"t": 40, "l": 0, "r": 0},
        separators=plotly_separators(lang),
        dragmode="pan",
        coloraxis={
            "colorscale": COLOUR_SCALE,
            "cmin": 0,
            "cmax": top,
            "colorbar": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "bottom",
                "len": 0.8,
                "thickness": 10,
                "tickvals": powers,
                "ticktext": [_power_label(power) for power in powers],
                "title": {"text": escape_plotly(words.unit), "side": "right"},
            },
        },
        # The "no figure" key under the map: beside the colour bar it covered the last tick on a phone.
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 0, "yanchor": "top"},
        geo={
            "projection": {"type": "natural earth", "scale": ZOOM},
            "center": CENTRE,
            "showframe": False,
            "showcoastlines": False,
            "showland": False,
            "showocean": False,
            "showlakes": False,
            "showrivers": False,
            "showcountries": False,
            "bgcolor": "white",
        },
    )
    return fig


def _outlines_of(geometry: MapGeometry, codes: Iterable[str]) -> dict:
    """The outlines of ``codes`` only: each trace carries its own GeoJSON into the page, and every trace
    carrying all of them doubled the figure that every rerun of the page sends (474 kB, 260 ms to write)."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in geometry.outlines["features"] if f["id"] in wanted]}


def _power_label(power: int) -> str:
    """A colour-bar tick, short enough for eight of them across a phone: 1, 10, 100, 1 k … 1 M, 10 M."""
    for size, suffix in ((6, " M"), (3, " k")):
        if power >= size:
            return f"{10 ** (power - size)}{suffix}"
    return str(10**power)
