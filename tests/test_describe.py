"""Each chart described in words: the numbers, dates, statuses and events of the description are those the
snapshot holds and the chart draws, in the reader's language."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import loaders
from app import periods
from app.charts import figures
from app.charts.describe import describe_figure
from app.charts.host_map import MapWords, host_map_figure
from app.geography import map_geometry
from app.i18n import significant
from app.text import escape_html, escape_markdown_file
from app.views import slide_pack
from app.views.events import chronological, timeline_figure
from app.views.migration import HOST_SERIES, host_bar_figure, host_map_rows, stacked_area_figure
from app.views.overview import OVERVIEW_CHARTS, overview_figure
from app.views.presenter import step_figure
from loaders.events import load_events
from loaders.stories import load_stories
from tests.browser import REPO

SERIES = "gdp_growth_imf_pct"  # IMF: actual to 2018, estimates 2019-2024, projections from 2025 (WEO Oct 2025)


def imf_venezuela() -> pd.DataFrame:
    rows = loaders.load(SERIES)
    return rows[rows["country"] == "VEN"].sort_values("date").reset_index(drop=True)


def venezuela_figure(lang: str, events: pd.DataFrame | None = None):
    line = figures.Line(imf_venezuela(), "GDP growth", hover_unit="%", frequency="annual", period="flow")
    return figures.timeseries_figure([line], events, figures.ChartText(), lang=lang)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_first_last_highest_and_lowest_are_the_snapshots_with_their_dates(lang):
    rows = imf_venezuela()
    text = describe_figure(venezuela_figure(lang), lang)

    def said(i: int) -> str:  # a value as the description writes it, and the year it stands for
        value = f"{significant(rows['value'][i], lang)} %"
        return value, periods.when(rows["date"][i], "annual", "flow", lang)

    first, last = said(0), said(len(rows) - 1)
    high, low = said(int(rows["value"].idxmax())), said(int(rows["value"].idxmin()))
    words = {
        "en": ("values from", "first", "last", "highest", "lowest"),
        "es": ("valores de", "primero", "último", "máximo", "mínimo"),
    }[lang]
    assert f"GDP growth (%): {len(rows)} {words[0]} {first[1]} " in text
    assert f"{words[1]} {first[0]};" in text and f"{words[2]} {last[0]};" in text
    assert f"{words[3]} {high[0]}, {high[1]};" in text and f"{words[4]} {low[0]}, {low[1]}." in text
    assert high[0] == {"en": "18.29 %", "es": "18,29 %"}[lang]  # 2004's 18.287, in the reader's notation


@pytest.mark.parametrize("lang", ["en", "es"])
def test_estimates_and_projections_are_named_with_their_years(lang):
    rows = imf_venezuela()
    text = describe_figure(venezuela_figure(lang), lang)
    for status, words in (("estimate", {"en": "estimates", "es": "estimaciones"}), ("projection", None)):
        years = rows[rows["status"] == status]["date"]
        first = periods.when(years.min(), "annual", "flow", lang)
        last = periods.when(years.max(), "annual", "flow", lang)
        plural = words[lang] if words else {"en": "projections", "es": "proyecciones"}[lang]
        sentence = {
            "en": f"Values from {first} to {last} are {plural}.",
            "es": f"Los valores de {first} a {last} son {plural}.",
        }
        assert sentence[lang] in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_events_marked_are_named_with_their_dates(lang):
    events = load_events()
    events = events[
        events["id"].isin(["coup_2002", "hyperinflation_2017_2021", "covid19_pandemic_2020", "emigration_from_2015"])
    ]
    text = describe_figure(venezuela_figure(lang, events), lang)
    expected = {
        "en": [
            "4 events marked:",
            "(11 April 2002 – 14 April 2002)",
            "(November 2017 – December 2021)",
            "(from 2015, still going on)",
        ],
        "es": [
            "4 eventos marcados:",
            "(11 de abril de 2002 – 14 de abril de 2002)",
            "(noviembre de 2017 – diciembre de 2021)",
            "(desde 2015, aún en curso)",
        ],
    }[lang]
    for piece in expected + list(events[f"title_{lang}"]):
        assert piece in text


def test_only_the_shown_years_are_described_and_a_highlight_is_said():
    rows = imf_venezuela()
    line = figures.Line(rows, "GDP growth", hover_unit="%", frequency="annual", period="flow")
    events = load_events()
    events = events[events["id"].isin(["coup_2002", "oil_shutdown_2002_2003"])]
    x_range = (pd.Timestamp("2000-01-01"), pd.Timestamp("2010-12-31"))
    fig = figures.timeseries_figure([line], events, figures.ChartText(), x_range=x_range, highlight={"coup_2002"})
    text = describe_figure(fig, "en")
    assert "11 values from 2000 (whole year) to 2010 (whole year)" in text  # not 1980 to 2030: what is shown
    assert (
        "(11 April 2002 – 14 April 2002, highlighted)" in text and "2003)" in text and "2003, highlighted" not in text
    )


def test_stacked_areas_say_each_category_and_the_provisional_count():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"]),
            "country": "VEN",
            "value": [100.0, 300.0, 200.0],
            "status": ["actual", "actual", "provisional"],
        }
    )
    fig = stacked_area_figure(
        {"refugees": frame}, {"refugees": "Refugees"}, None, figures.ChartText(), "es", "personas"
    )
    text = describe_figure(fig, "es")
    assert "Refugees (personas): 3 valores de fin de 2023 a mediados de 2025" in text
    assert "máximo 300 personas, fin de 2024" in text and "El valor de mediados de 2025 es provisional." in text


def test_bars_are_read_largest_first():
    hosts = pd.DataFrame({"country": ["COL", "PER"], "name": ["Colombia", "Perú"], "value": [2.8e6, 1.5e6]})
    hosts["share"] = [60.0, 40.0]
    fig = host_bar_figure(hosts, figures.ChartText(y_title="people"), "en")
    expected = "2 host countries, largest first: Colombia: 2,800,000 people; Perú: 1,500,000 people."
    assert describe_figure(fig, "en") == expected


def test_the_events_timeline_counts_its_events_by_category():
    events = chronological(load_events())
    names = {"politics": "Politics", "context": "Context"}
    fig = timeline_figure(events, "en", names, figures.ChartText(), list(dict.fromkeys(events["category"])))
    text = describe_figure(fig, "en")
    assert text.startswith(f"{len(events)} events from {events['start'].min().year} to ")
    assert "Context (" in text and "(0)" not in text
    politics = events[(events["category"] == "politics") & (events["kind"] != "context")]
    assert f"Politics ({len(politics)})" in text


def test_a_chart_without_values_says_so():
    assert describe_figure(figures.timeseries_figure([], None, figures.ChartText()), "es") == (
        "El gráfico no muestra valores."
    )


def test_the_slide_pack_holds_each_slide_in_words_beside_it_and_in_the_handout():
    story = next(s for s in load_stories() if s.id == "hyperinflation_2014_2021")
    frames = {sid: loaders.load(sid) for step in story.steps for sid in step.series_ids}
    events, catalog = load_events(), loaders.catalog()
    pack = slide_pack.slide_pack(
        story, "es", frames, events, catalog, render=lambda figs: [b"PNG"] * len(figs), made_on=date(2026, 1, 15)
    )
    files = zipfile.ZipFile(io.BytesIO(pack.data))
    folder = f"{story.id}_es"
    handout_html = files.read(f"{folder}/handout.html").decode()
    handout_md = files.read(f"{folder}/handout.md").decode()
    for step in story.steps:
        fig = step_figure(story, step, frames, events, catalog, "es", None, "slide")
        words = describe_figure(fig, "es")
        assert files.read(f"{folder}/slides/{slide_pack.step_file(step, 'es', 'txt')}").decode() == words + "\n"
        assert f'id="chart-{step.number}"' in handout_html and escape_html(words) in handout_html
        assert f"*El gráfico en palabras:* {escape_markdown_file(words)}" in handout_md
        for title in events.set_index("id").loc[list(step.events), "title_es"]:
            assert title in words, f"step {step.number}: the event it is about is named"
    assert 'aria-describedby="chart-1"' in handout_html


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_map_names_its_largest_hosts_with_the_snapshots_counts(lang):
    hosts = loaders.load(HOST_SERIES)
    geometry = map_geometry()
    rows = host_map_rows(hosts, 2024, lang, geometry.outlined())
    words = MapWords(unit={"en": "people", "es": "personas"}[lang], share_of_total="", no_data="")
    text = describe_figure(host_map_figure(rows, geometry, figures.ChartText(), words, lang), lang)
    year = hosts[hosts["date"].dt.year == 2024].groupby("country")["value"].sum().sort_values(ascending=False)
    colombia = f"Colombia: {significant(year['COL'], lang)} {words.unit}"
    counted = {"en": "host countries, largest first", "es": "países de acogida, de mayor a menor"}[lang]
    assert text.startswith(f"{len(year)} {counted}: ") and colombia in text, text
    assert text.index(colombia) < text.index({"en": "Peru", "es": "Perú"}[lang]), "largest first"
    assert text.endswith({"en": f"{len(year) - 10} more.", "es": f"{len(year) - 10} más."}[lang])


def test_the_overview_tells_each_chart_in_words_under_it_and_for_screen_readers():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    said = [describe_figure(overview_figure(chart, "es")[0], "es") for chart in OVERVIEW_CHARTS]
    expanders = [e for e in at.expander if e.label == "Describir este gráfico"]
    assert len(expanders) == len(at.get("plotly_chart")) == 4
    for expander, words in zip(expanders, said, strict=True):
        assert plain(expander.markdown[0].value) == words
    hidden = [plain(m.value) for m in at.markdown if plain(m.value) in said]
    assert len(hidden) == 8, "each description twice: for screen readers before the chart, and in its expander"
    assert "máximo 65.374 % de variación, 2018 (promedio anual)" in said[2]


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
