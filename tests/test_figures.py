"""The shared figure builders, tested as pure functions: data and events in, figure out."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from app.charts import event_marks, figures
from app.transforms import thin_for_drawing


def frame(dates, values, status=None, country="VEN"):
    out = pd.DataFrame({"date": pd.to_datetime(dates), "country": country, "value": [float(v) for v in values]})
    if status is not None:
        out["status"] = status
    return out


def events_frame():
    return pd.DataFrame(
        {
            "id": ["coup_2002", "oil_shutdown", "context_event"],
            "start": pd.to_datetime(["2002-04-11", "2002-12-02", "2020-03-11"]),
            "end": pd.to_datetime([None, "2003-02-02", None]),
            "ongoing": [False, False, False],
            "kind": ["document", "document", "context"],
            "category": ["politics", "oil", "economy"],
            "title_en": ["Coup <b>2002</b>", "Oil shutdown", "Pandemic"],
            "title_es": ["Golpe 2002", "Paro petrolero", "Pandemia"],
            "quote": ["In 2002, Chavez was targeted by a short-lived coup", "shut down oil", ""],
            "document": ["002_3ba13bb4189d8964.txt", "002_3ba13bb4189d8964.txt", ""],
        }
    )


def test_events_drawn_as_lines_bands_and_hoverable_labels():
    line = figures.Line(frame(["2000-01-01", "2021-01-01"], [10, 20]), "Series")
    fig = figures.timeseries_figure([line], events_frame(), figures.ChartText(title="t"), lang="en")
    labels = [t for t in fig.data if t.mode == "markers+text"]
    assert sorted(t.name for t in labels) == ["context", "oil", "politics"]
    politics = next(t for t in labels if t.name == "politics")
    assert "Coup &lt;b&gt;2002&lt;/b&gt;" in politics.hovertext[0], "event titles must be escaped, not rendered"
    assert politics.text[0] == "Coup &lt;b&gt;2002&lt;/b&gt;"
    assert "short-lived coup" in politics.hovertext[0] and "002_3ba13bb4189d8964.txt" in politics.hovertext[0]
    context = next(t for t in labels if t.name == "context")
    context_hover, politics_hover = (t.hovertext[0].replace("<br>", " ") for t in (context, politics))
    assert event_marks.CONTEXT_NOTE["en"] in context_hover, "a context event must say it is not from the documents"
    assert event_marks.CONTEXT_NOTE["en"] not in politics_hover
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(bands) == 1 and pd.Timestamp("2003-02-02") in list(bands[0].x)
    assert all(t.legendgroup.startswith("ev-") for t in fig.data if t.yaxis == "y99")


def test_spanish_labels_and_highlight_dims_other_events():
    line = figures.Line(frame(["2000-01-01", "2010-01-01"], [10, 20]), "Serie")
    fig = figures.timeseries_figure(
        [line], events_frame(), figures.ChartText(), lang="es", highlight={"coup_2002"}, x_range=None
    )
    labels = {t.name: t for t in fig.data if t.mode == "markers+text"}
    assert list(labels["politics"].text) == ["Golpe 2002"]
    assert labels["politics"].marker.opacity[0] == 1.0
    assert labels["oil"].marker.opacity[0] < 0.5


def test_log_axis_leaves_out_non_positive_values_and_says_so():
    wti = frame(["2020-04-17", "2020-04-20", "2020-04-21"], [18.31, -36.98, 8.91], country="WLD")
    fig = figures.timeseries_figure([figures.Line(wti, "WTI")], None, figures.ChartText(), log=True)
    assert fig.layout.yaxis.type == "log"
    assert list(fig.data[0].y) == [18.31, 8.91]
    notes = [a.text for a in fig.layout.annotations]
    assert any("1 value(s) ≤ 0" in n and "-36.98 on 2020-04-20" in n for n in notes)


def test_projections_are_dashed_and_join_the_last_actual():
    imf = frame(["2022-01-01", "2023-01-01", "2024-01-01"], [186, 337, 49], status=["actual", "actual", "projection"])
    fig = figures.timeseries_figure([figures.Line(imf, "IMF")], None, figures.ChartText())
    actual, projected = fig.data
    assert actual.line.dash == "solid" and projected.line.dash == "dash"
    assert list(projected.y) == [337, 49] and "(projection)" in projected.name


def imf_venezuela(series_id: str = "inflation_avg_imf_pct") -> pd.DataFrame:
    rows = loaders.load(series_id)
    return rows[rows["country"] == "VEN"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_actual_estimate_and_projection_are_drawn_and_named_three_ways(lang):
    """IMF GDP growth for Venezuela: actual to 2018, estimates 2019-2024, projections from 2025 (WEO Oct 2025)."""
    line = figures.Line(imf_venezuela("gdp_growth_imf_pct"), "GDP", hover_unit="%", frequency="annual", period="flow")
    fig = figures.timeseries_figure([line], None, figures.ChartText(), lang=lang)
    by_dash = {t.line.dash: t for t in fig.data}
    assert set(by_dash) == {"solid", "dot", "dash"}, "actual, estimate and projection each drawn their own way"
    estimate, projection = by_dash["dot"], by_dash["dash"]
    assert estimate.marker.symbol == "circle-open", "estimates carry open markers, projections none"
    names = {"en": ("(estimate)", "(projection)"), "es": ("(estimación)", "(proyección)")}[lang]
    assert names[0] in estimate.name and names[1] in projection.name
    hover_2019 = next(row for row in estimate.customdata if row[0].startswith("2019"))
    assert hover_2019[1].endswith({"en": "(estimate)", "es": "(estimación)"}[lang])
    hover_2025 = next(row for row in projection.customdata if row[0].startswith("2025"))
    assert hover_2025[1].endswith({"en": "(projection)", "es": "(proyección)"}[lang])
    hover_2018 = next(row for row in by_dash["solid"].customdata if row[0].startswith("2018"))
    assert hover_2018[1].endswith({"en": "(actual)", "es": "(dato observado)"}[lang]), "'actual' means 'current' in es"


@pytest.mark.parametrize(("lang", "shown"), [("en", "65,374 %"), ("es", "65.374 %")])
def test_hovers_write_numbers_in_the_readers_language_never_in_exponent_form(lang, shown):
    line = figures.Line(imf_venezuela(), "IMF", hover_unit="%", frequency="annual", period="average")
    fig = figures.timeseries_figure([line], None, figures.ChartText(), lang=lang)
    hovers = [cell for trace in fig.data if trace.customdata is not None for row in trace.customdata for cell in row]
    assert any(h and h.startswith(shown) for h in hovers), f"2018 inflation should read {shown}"
    assert not any(h and "e+" in h for h in hovers)
    templates = [t.hovertemplate for t in fig.data if t.hovertemplate]
    assert templates and not any("%{y" in t or "%{x" in t for t in templates), "Plotly's own formats use exponents"


def test_annual_values_are_drawn_over_their_year_and_hover_their_period():
    """The 2018->2019 production fall must straddle the 28 Jan 2019 oil-sanctions line, not end before it."""
    rows = loaders.load("oil_production_ei_thousand_barrels_per_day")
    venezuela = rows[rows["country"] == "VEN"]
    line = figures.Line(venezuela, "Oil", frequency="annual", period="average")
    trace = figures.timeseries_figure([line], None, figures.ChartText(), lang="en").data[0]
    x = pd.to_datetime(pd.Series(trace.x))
    point_2018, point_2019 = x[x.dt.year == 2018].iloc[0], x[x.dt.year == 2019].iloc[0]
    assert point_2018 < pd.Timestamp("2019-01-28") < point_2019
    assert point_2018 == pd.Timestamp("2018-07-01")
    assert any(row[0] == "2018 (annual average)" for row in trace.customdata)
    spanish = figures.timeseries_figure([line], None, figures.ChartText(), lang="es").data[0]
    assert any(row[0] == "2018 (promedio anual)" for row in spanish.customdata)


def test_end_of_year_stocks_at_the_year_end_and_the_provisional_mid_year_count_named_so():
    rows = loaders.load("displaced_abroad_from_ven_unhcr_persons")
    line = figures.Line(rows, "Abroad", hover_unit="people", frequency="annual", period="end_of_period")
    fig = figures.timeseries_figure([line], None, figures.ChartText(), lang="en")
    actual = next(t for t in fig.data if t.line.dash == "solid")
    x = pd.to_datetime(pd.Series(actual.x))
    assert x[x.dt.year == 2018].iloc[0] == pd.Timestamp("2018-12-31")
    assert any(row[0] == "end of 2018" for row in actual.customdata)
    provisional = next(t for t in fig.data if "(provisional)" in t.name)
    assert provisional.marker.symbol == "diamond-open"
    assert ["mid-2025", "7,640,872 people (provisional)"] in provisional.customdata.tolist()
    spanish = figures.timeseries_figure([line], None, figures.ChartText(), lang="es")
    assert any(row[0] == "fin de 2018" for t in spanish.data for row in t.customdata if row[0])
    assert any(row[0] == "mediados de 2025" for t in spanish.data for row in t.customdata if row[0])


def test_monthly_averages_hover_their_month_in_the_readers_language():
    oil = frame(["2014-05-01", "2014-06-01"], [102.0, 105.79], country="WLD")
    line = figures.Line(oil, "Brent", frequency="monthly", period="average")
    english = figures.timeseries_figure([line], None, figures.ChartText(), lang="en").data[0]
    spanish = figures.timeseries_figure([line], None, figures.ChartText(), lang="es").data[0]
    assert english.customdata[1][0] == "June 2014 (monthly average)"
    assert spanish.customdata[1][0] == "junio de 2014 (promedio mensual)"
    assert pd.Timestamp(english.x[1]) == pd.Timestamp("2014-06-15")


def test_spanish_axis_ticks_use_no_english_month_names():
    line = figures.Line(frame(["2013-01-01", "2013-07-01"], [1, 2]), "x")
    fig = figures.timeseries_figure([line], None, figures.ChartText(), lang="es")
    formats = [stop.value for stop in fig.layout.xaxis.tickformatstops]
    assert formats and not any("%b" in f or "%B" in f for f in formats)


def test_source_line_is_on_the_chart():
    fig = figures.timeseries_figure(
        [figures.Line(frame(["2000-01-01"], [1]), "x")], None, figures.ChartText(source="Source: World Bank (X)")
    )
    assert any("Source: World Bank (X)" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("plot_px", [400, 900])
def test_labels_in_one_lane_do_not_overlap(plot_px):
    starts = list(pd.to_datetime(["2002-04-11", "2002-12-02", "2003-01-01", "2013-03-05", "2013-04-14"]))
    titles = ["2002 coup", "Oil shutdown", "Something", "Chávez dies", "Maduro elected"]
    x_range = (pd.Timestamp("1990-01-01"), pd.Timestamp("2025-01-01"))
    placed = event_marks.label_lanes(starts, titles, x_range, plot_px)
    span = (x_range[1] - x_range[0]).days
    spans = {}
    for start, title, (lane, leftwards) in zip(starts, titles, placed, strict=True):
        if lane < 0:
            continue
        x = (start - x_range[0]).days / span
        width = (len(title) * 0.6 * 12 + 18) / plot_px
        spans.setdefault(lane, []).append((x - width, x) if leftwards else (x, x + width))
    for intervals in spans.values():
        intervals.sort()
        assert all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:], strict=False))


def test_thinning_keeps_the_real_extremes_of_wti():
    wti = loaders.load("oil_price_wti_daily_usd_per_barrel")
    thin = thin_for_drawing(wti, max_points=1500)
    assert len(thin) < len(wti) / 3
    assert thin["value"].min() == -36.98
    assert thin["value"].max() == wti["value"].max()
    assert thin.loc[thin["value"].idxmin(), "date"] == pd.Timestamp("2020-04-20")


def test_index_to_a_year_no_country_has_gives_an_empty_frame():
    from app.transforms import index_to_year

    assert index_to_year(frame(["2019-01-01", "2020-01-01"], [1, 2]), 2015).empty
