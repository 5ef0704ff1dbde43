"""The Migration page's map: every host country's colour and hover against the UNHCR snapshot, countries
without a figure shown as such (never as zero), small countries as dots, and nothing for the browser to fetch."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from app.charts import figures
from app.charts.host_map import MapWords, host_map_figure
from app.geography import map_geometry
from app.i18n import number
from app.views.migration import HOST_SERIES, host_map_rows, host_years
from loaders import load

WORDS = MapWords(unit="persons", share_of_total="of everyone abroad", no_data="no figure that year")
BASE_LAYERS = ("showcoastlines", "showland", "showocean", "showlakes", "showrivers", "showcountries", "showsubunits")


@pytest.fixture(scope="module")
def hosts() -> pd.DataFrame:
    return load(HOST_SERIES)


def map_for(hosts: pd.DataFrame, year: int, lang: str = "en"):
    geometry = map_geometry()
    rows = host_map_rows(hosts, year, lang, geometry.outlined())
    return host_map_figure(rows, geometry, figures.ChartText(source="UNHCR"), WORDS, lang)


def traces(fig) -> tuple:
    dots, missing, counted = fig.data
    return dots, missing, counted


@pytest.mark.parametrize("year", [2018, 2024, 2025])
def test_each_outlined_country_has_the_snapshots_value_for_that_year(hosts, year):
    _, _, counted = traces(map_for(hosts, year))
    snapshot = hosts[hosts["date"].dt.year == year].set_index("country")["value"]
    drawn = dict(zip(counted.locations, counted.z, strict=True))
    assert drawn, "countries coloured"
    for code, z in drawn.items():
        assert math.isclose(10**z, snapshot[code], rel_tol=1e-9), code
    outlined = set(map_geometry().outlined())
    assert set(drawn) == set(snapshot.index) & outlined, "every outlined host is coloured, and only hosts"
    people = {row[0]: row[1] for row in counted.customdata}
    assert people["Colombia"] == number(snapshot["COL"], "en")


def test_colombia_2024_reads_as_the_snapshot_says_in_both_languages(hosts):
    colombia = hosts[(hosts["date"].dt.year == 2024) & (hosts["country"] == "COL")]["value"].iloc[0]
    for lang, separator in (("en", ","), ("es", ".")):
        fig = map_for(hosts, 2024, lang)
        _, _, counted = traces(fig)
        row = next(row for code, row in zip(counted.locations, counted.customdata, strict=True) if code == "COL")
        assert row[1] == number(colombia, lang) and separator in row[1]
        assert fig.layout.separators == (",." if lang == "es" else ".,")


def test_a_country_without_a_figure_is_grey_and_says_so_not_zero(hosts):
    _, missing, counted = traces(map_for(hosts, 2010))
    assert "RUS" in missing.locations and "RUS" not in counted.locations
    assert "COL" not in missing.locations
    assert set(missing.z) == {0} and missing.showscale is False
    assert "no figure that year" in missing.hovertemplate and missing.showlegend


def test_small_hosts_without_an_outline_are_dots_on_the_same_scale(hosts):
    dots, _, counted = traces(map_for(hosts, 2024))
    aruba = hosts[(hosts["date"].dt.year == 2024) & (hosts["country"] == "ABW")]["value"].iloc[0]
    names = [row[0] for row in dots.customdata]
    assert "Aruba" in names
    assert math.isclose(10 ** dots.marker.color[names.index("Aruba")], aruba)
    assert dots.marker.coloraxis == counted.coloraxis == "coloraxis"


def test_the_map_asks_the_browser_for_nothing(hosts):
    """Plotly fetches its topojson when a base layer is on or when the first trace names its places."""
    fig = map_for(hosts, 2024)
    first = fig.data[0]
    assert first.type == "scattergeo" and first.locations is None and first.locationmode is None
    assert not any(fig.layout.geo[layer] for layer in BASE_LAYERS)
    assert all(trace.geojson["type"] == "FeatureCollection" for trace in fig.data[1:])


def test_years_newest_first(hosts):
    years = host_years(hosts)
    assert years[0] == 2025 and years == sorted(years, reverse=True)
