"""Explore: URL state parsing, frame building, the before/after comparison, the figure, and the page itself."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import loaders
from app.charts import explore_figure
from app.text import escape_markdown
from app.views import explore_before_after, explore_series, explore_state
from app.views.explore_state import ExploreState, parse_state, state_to_params
from loaders.events import categories as event_categories
from loaders.events import load_events

SERIES_IDS = list(loaders.catalog().index)
CATEGORIES = [*event_categories(), "context"]
EVENTS = {
    row.id: (row.start.year, (row.end if pd.notna(row.end) else row.start).year) for row in load_events().itertuples()
}


def parse(params: dict[str, str]):
    return parse_state(params, SERIES_IDS, CATEGORIES, EVENTS)


def tidy(dates, values, country="VEN", **extra) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(dates), "country": country, "value": values, **extra})


# ---------------------------------------------------------------- state <-> URL


@pytest.mark.parametrize(
    "state",
    [
        ExploreState(),
        ExploreState(
            series=("inflation_avg_imf_pct", "gdp_growth_wb_pct"),
            countries=("VEN", "COL", "WLD"),
            transform="index",
            base=2010,
            log=True,
            freq="annual",
            start=1998,
            end=2020,
            cats=("oil", "politics"),
            layout="dual",
            event="coup_2002",
            lang="es",
        ),
        ExploreState(transform="yoy", freq="monthly", cats=(), start=2000, end=2000),
    ],
)
def test_state_to_query_params_and_back_is_the_same_state(state):
    params = state_to_params(state)
    assert all(isinstance(v, str) for v in params.values())
    again, problems = parse(params)
    assert problems == []
    assert again == state


def test_no_params_give_the_default_view():
    state, problems = parse({})
    assert problems == []
    assert state.series == ("oil_price_brent_monthly_usd_per_barrel", "oil_production_ei_thousand_barrels_per_day")
    assert state.countries == ("VEN",)
    assert (state.start, state.end, state.layout, state.transform) == (1990, 2025, "stacked", "level")
    assert state.cats is None and state.event is None


@pytest.mark.parametrize(
    "param, value, expected_words, field, default",
    [
        ("series", "not_a_series", "series ids from the catalogue", "series", explore_state.DEFAULT_SERIES),
        ("countries", "XXX", "ISO 3166 three-letter", "countries", ("VEN",)),
        ("countries", "V3N", "ISO 3166 three-letter", "countries", ("VEN",)),
        ("transform", "foo", "one of: level, yoy, index", "transform", "level"),
        ("freq", "weekly", "one of: native, monthly, annual", "freq", "native"),
        ("layout", "grid", "one of: stacked, dual", "layout", "stacked"),
        ("log", "maybe", "1 (log scale) or 0 (linear)", "log", False),
        ("base", "twenty", "a year between 1900 and 2100", "base", explore_state.DEFAULT_BASE),
        ("start", "1066", "a year between 1900 and 2100", "start", 1990),
        ("end", "soon", "a year between 1900 and 2100", "end", 2025),
        ("cats", "weather", "event categories among: politics", "cats", None),
        ("event", "moon_landing", "an event id from the Events page", "event", None),
        ("lang", "fr", "one of: en, es", "lang", "en"),
    ],
)
def test_each_bad_param_is_named_with_its_value_and_what_was_expected(param, value, expected_words, field, default):
    state, problems = parse({param: value})
    assert len(problems) == 1
    message = problems[0].message("en")
    # The value is shown as inert Markdown: moon_landing is written moon\_landing and reads moon_landing.
    assert f"`{param}`" in message and escape_markdown(value) in message and expected_words in message
    assert getattr(state, field) == default
    # The same warning in Spanish names the same parameter and value.
    spanish = problems[0].message("es")
    assert f"`{param}`" in spanish and escape_markdown(value) in spanish and "se esperaba" in spanish


def test_start_after_end_falls_back_to_the_default_years():
    state, problems = parse({"start": "2020", "end": "2000"})
    assert [p.param for p in problems] == ["start"]
    assert "no later than the end year" in problems[0].message("en")
    assert (state.start, state.end) == (1990, 2025)


def test_good_values_survive_next_to_bad_ones():
    state, problems = parse({"series": "inflation_avg_imf_pct,nope", "countries": "col,XXX,VEN", "cats": "oil,zzz"})
    assert state.series == ("inflation_avg_imf_pct",)
    assert state.countries == ("COL", "VEN")
    assert state.cats == ("oil",)
    assert sorted(p.param for p in problems) == ["cats", "countries", "series"]


def test_too_many_series_keep_the_first_six():
    state, problems = parse({"series": ",".join(SERIES_IDS[:8])})
    assert state.series == tuple(SERIES_IDS[:6])
    assert "at most 6 series" in problems[0].message("en")


def test_an_event_zooms_to_three_years_either_side_unless_the_link_gives_years():
    state, _ = parse({"event": "coup_2002"})
    assert (state.start, state.end, state.event) == (1999, 2005, "coup_2002")
    state, _ = parse({"event": "oil_price_crash_2014_2016"})
    assert (state.start, state.end) == (2011, 2019)  # a period: from its start year - 3 to its end year + 3
    state, _ = parse({"event": "coup_2002", "start": "1995", "end": "2010"})
    assert (state.start, state.end) == (1995, 2010)


def test_a_base_year_outside_the_data_moves_to_the_nearest_year_to_the_default():
    assert explore_state.check_base(2010, range(1980, 2030)) == (2010, None)
    base, problem = explore_state.check_base(1950, range(1980, 2030))
    assert base == 2013
    assert problem.param == "base" and "1950" in problem.message("en") and "1980–2029" in problem.message("en")
    assert explore_state.check_base(1950, range(2015, 2024))[0] == 2015


def test_countries_fall_back_to_what_the_series_has():
    assert explore_series.countries_for(["WLD"], ["VEN"]) == explore_series.CountryChoice(("WLD",), ("VEN",))
    assert explore_series.countries_for(["VEN", "COL"], ["COL", "NGA"]) == explore_series.CountryChoice(
        ("COL",), ("NGA",)
    )
    assert explore_series.countries_for(["ARG", "COL"], ["NGA"]).used == ("ARG",)
    assert explore_series.countries_for(["VEN", "COL"], ["VEN", "COL"]).missing == ()


# ---------------------------------------------------------------- frames


MONTHLY = tidy(pd.date_range("2009-01-01", "2012-12-01", freq="MS"), [float(v) for v in range(1, 49)])


def test_change_from_a_year_ago_is_applied_and_uses_the_year_before_the_range():
    state = ExploreState(transform="yoy", start=2010, end=2012)
    out = explore_series.transformed(MONTHLY, "monthly", ["VEN"], state)
    assert out["date"].min() == pd.Timestamp("2010-01-01")  # 2010's change uses 2009, outside the range
    jan_2010 = out.loc[out["date"] == "2010-01-01", "value"].item()
    assert jan_2010 == pytest.approx((13 / 1 - 1) * 100)


def test_index_is_100_at_the_base_year_average():
    state = ExploreState(transform="index", base=2010, start=2009, end=2012)
    out = explore_series.transformed(MONTHLY, "monthly", ["VEN"], state)
    base_mean = sum(range(13, 25)) / 12  # 2010's average is 18.5
    assert out[out["date"].dt.year == 2010]["value"].mean() == pytest.approx(100.0)
    assert out.loc[out["date"] == "2012-12-01", "value"].item() == pytest.approx(48 / base_mean * 100)


def test_an_index_without_data_for_the_base_year_is_empty_not_an_error():
    state = ExploreState(transform="index", base=2015, start=2009, end=2012)
    assert explore_series.transformed(MONTHLY, "monthly", ["VEN"], state).empty


def test_annual_averages_apply_to_monthly_data_but_not_to_annual_data():
    state = ExploreState(freq="annual", start=2009, end=2012)
    out = explore_series.transformed(MONTHLY, "monthly", ["VEN"], state)
    assert out["value"].tolist() == pytest.approx([6.5, 18.5, 30.5, 42.5])
    annual = tidy(["2010-01-01", "2011-01-01"], [1.0, 2.0])
    monthly_asked = ExploreState(freq="monthly", start=2010, end=2011)
    assert explore_series.transformed(annual, "annual", ["VEN"], monthly_asked)["value"].tolist() == [1.0, 2.0]
    assert explore_series.frequency_note("annual", "monthly", "en") == ""  # ignored: the page says so
    assert explore_series.frequency_note("monthly", "annual", "en") == "annual averages"


def test_only_the_chosen_countries_and_years_are_kept():
    frame = pd.concat([MONTHLY, MONTHLY.assign(country="COL")])
    out = explore_series.transformed(frame, "monthly", ["COL"], ExploreState(start=2011, end=2011))
    assert set(out["country"]) == {"COL"} and len(out) == 12


def test_the_table_holds_every_plotted_row_with_its_series():
    frames = {"a": MONTHLY.head(3), "b": MONTHLY.head(2).assign(status="projection")}
    table = explore_series.plotted_table(frames)
    assert table.columns.tolist() == ["date", "country", "series", "value", "status"]
    assert table["series"].tolist() == ["a", "a", "a", "b", "b"]
    assert table["status"].tolist() == ["", "", "", "projection", "projection"]


def test_thinning_the_real_wti_series_keeps_its_negative_minimum_and_the_table_keeps_everything():
    wti = loaders.load("oil_price_wti_daily_usd_per_barrel")
    state = ExploreState(series=("oil_price_wti_daily_usd_per_barrel",), start=1990, end=2025)
    shown = explore_series.transformed(wti, "daily", ["WLD"], state)
    drawn = explore_series.for_drawing(shown, lines=3)
    assert len(drawn) < len(shown) / 2
    assert len(shown) == len(explore_series.plotted_table({"wti": shown}))  # the table is not thinned
    low = drawn.loc[drawn["value"].idxmin()]
    assert (low["date"], low["value"]) == (pd.Timestamp("2020-04-20"), -36.98)
    assert drawn["value"].max() == shown["value"].max()


def test_three_daily_series_stay_under_the_page_budget():
    panels = []
    for sid in ("oil_price_wti_daily_usd_per_barrel", "oil_price_brent_daily_usd_per_barrel"):
        shown = explore_series.transformed(loaders.load(sid), "daily", ["WLD"], ExploreState(start=1986, end=2026))
        panels.append(explore_figure.Panel(sid, sid, "US$", explore_series.for_drawing(shown, lines=3)))
    opec = explore_series.transformed(
        loaders.load("oil_price_opec_basket_daily_usd_per_barrel"), "daily", ["WLD"], ExploreState(start=1986)
    )
    panels.append(explore_figure.Panel("opec", "OPEC", "US$", explore_series.for_drawing(opec, lines=3)))
    fig = explore_figure.explore_figure(
        panels,
        load_events(),
        "en",
        source="Source: test",
        x_range=(pd.Timestamp("1986-01-01"), pd.Timestamp("2026-12-31")),
    )
    assert len(fig.to_json()) < 1_500_000


# ---------------------------------------------------------------- before / after


def test_before_after_for_a_monthly_series_uses_12_months_either_side():
    frame = tidy(["2001-04-01", "2002-03-01", "2002-04-01", "2003-04-01"], [50.0, 70.0, 80.0, 60.0])
    out = explore_before_after.before_after(frame, pd.Timestamp("2002-04-11"), "monthly")
    row = out.iloc[0]
    assert (row["before"], row["at"], row["after"]) == (50.0, 80.0, 60.0)
    assert row["before_date"] == pd.Timestamp("2001-04-01")
    assert row["change_before"] == pytest.approx(60.0)  # 50 -> 80
    assert row["change_after"] == pytest.approx(-25.0)  # 80 -> 60


def test_before_after_for_an_annual_series_uses_the_year_before_and_after():
    frame = pd.concat(
        [
            tidy(["2001-01-01", "2002-01-01", "2003-01-01"], [200.0, 150.0, 300.0]),
            tidy(["2001-01-01", "2003-01-01"], [10.0, 12.0], country="COL"),
        ]
    )
    out = explore_before_after.before_after(frame, pd.Timestamp("2002-04-11"), "annual").set_index("country")
    assert out.loc["VEN", "change_before"] == pytest.approx(-25.0)
    assert out.loc["VEN", "change_after"] == pytest.approx(100.0)
    assert pd.isna(out.loc["COL", "at"]) and pd.isna(out.loc["COL", "change_before"])  # no 2002: no change


def test_before_after_of_a_rate_is_in_points_and_never_a_percent_of_a_negative():
    growth = tidy(["2001-01-01", "2002-01-01", "2003-01-01"], [3.4, -8.9, -7.8])
    points = explore_before_after.before_after(growth, pd.Timestamp("2002-04-11"), "annual", points=True).iloc[0]
    assert points["change_before"] == pytest.approx(-12.3)
    assert points["change_after"] == pytest.approx(1.1)
    percent = explore_before_after.before_after(growth, pd.Timestamp("2002-04-11"), "annual").iloc[0]
    assert pd.isna(percent["change_after"])  # from -8.9: a percent change would mean nothing
    assert explore_before_after.is_percentage("pct_of_gdp") and not explore_before_after.is_percentage("usd_per_barrel")


def test_before_after_for_daily_data_takes_the_last_trading_day_on_or_before():
    frame = tidy(["2001-04-10", "2002-04-11", "2003-04-10"], [20.0, 25.0, 30.0])
    out = explore_before_after.before_after(frame, pd.Timestamp("2002-04-13"), "daily").iloc[0]
    assert out["before_date"] == pd.Timestamp("2001-04-10")
    assert out["change_before"] == pytest.approx(25.0) and out["change_after"] == pytest.approx(20.0)


def test_the_before_after_table_is_readable_in_both_languages():
    frame = tidy(["2001-01-01", "2002-01-01", "2003-01-01"], [100.0, 110.0, 55.0])
    result = explore_before_after.before_after(frame, pd.Timestamp("2002-04-11"), "annual")
    en = explore_before_after.before_after_rows([("Oil production", result, "annual", False)], "en")
    assert en.columns.tolist()[2:5] == ["Year before", "Event year", "Year after"]
    assert en.iloc[0].tolist() == [
        "Oil production",
        "Venezuela",
        "100 (2001)",
        "110 (2002)",
        "55.00 (2003)",
        "+10.0 %",
        "−50.0 %",
    ]
    in_points = explore_before_after.before_after(frame, pd.Timestamp("2002-04-11"), "annual", points=True)
    es = explore_before_after.before_after_rows([("Crecimiento", in_points, "annual", True)], "es")
    assert es.iloc[0].tolist()[-1] == "−55,0 puntos" and "Año anterior" in es.columns
    assert es.iloc[0].tolist()[4] == "55,00 (2003)"  # a decimal comma for Spanish readers


# ---------------------------------------------------------------- figure


def _panels():
    oil = tidy(pd.date_range("2000-01-01", "2005-12-01", freq="MS"), [float(v) for v in range(72)], country="WLD")
    prod = pd.concat(
        [
            tidy(pd.date_range("2000-01-01", "2005-01-01", freq="YS"), [3.0, 2.0, 1.0, 0.0, -1.0, 2.0]),
            tidy(pd.date_range("2000-01-01", "2005-01-01", freq="YS"), [1.0] * 6, country="COL"),
        ]
    )
    return [
        explore_figure.Panel("oil", "Oil price <b>x</b>", "US$", oil),
        explore_figure.Panel("prod", "Production", "kb/d", prod),
    ]


def test_stacked_panels_share_the_time_axis_and_mark_events_on_each():
    events = load_events()
    fig = explore_figure.explore_figure(
        _panels(),
        events,
        "en",
        country_order=["VEN", "COL"],
        source="Source: test publisher",
        x_range=(pd.Timestamp("1999-01-01"), pd.Timestamp("2005-12-31")),
        highlight={"coup_2002"},
    )
    layout = fig.layout
    assert layout.xaxis.matches == "x2" and layout.yaxis.domain[0] > layout.yaxis2.domain[1]
    # Event lines on both panels, in one legend group per category (a legend click hides them everywhere).
    panel_axes = {t.yaxis for t in fig.data if (t.legendgroup or "").startswith("ev-")}
    assert {"y101", "y102"} <= panel_axes
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend.count("Venezuela") == 1 and "World" in legend and "Colombia" in legend
    assert legend.index("Venezuela") < legend.index("Colombia")  # the reader's order, not the codes' order
    texts = " ".join(a.text for a in layout.annotations)
    assert "Source: test publisher" in texts and "Oil price &lt;b&gt;x&lt;/b&gt;" in texts and "US$" in texts
    # The highlighted coup is drawn as a strong line on both panels.
    strong = [t for t in fig.data if t.mode == "lines" and t.line.width == 2.5 and (t.yaxis or "").startswith("y1")]
    assert len(strong) == 2


def test_log_scale_says_what_it_leaves_out():
    fig = explore_figure.explore_figure(
        _panels(),
        None,
        "en",
        source="s",
        x_range=(pd.Timestamp("2000-01-01"), pd.Timestamp("2005-12-31")),
        log=True,
    )
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    headings = [a.text.replace("<br>", " ") for a in fig.layout.annotations if "<b>" in a.text]
    # Each panel says what it leaves out: the oil price's 0, production's 0 and -1 (the lowest named).
    assert "1 value(s) ≤ 0 not shown on the log scale, e.g. 0.00 on 2000-01-01" in headings[0]
    assert "2 value(s) ≤ 0 not shown on the log scale, e.g. -1.00 on 2004-01-01" in headings[1]


@pytest.mark.parametrize("dual", [False, True])
def test_a_log_axis_below_a_thousandth_is_labelled_in_powers_of_ten_not_si_prefixes(dual):
    chained = tidy(["2000-01-01", "2010-01-01", "2020-01-01"], [1e-12, 1e-6, 250.0])
    price = tidy(["2000-01-01", "2010-01-01", "2020-01-01"], [25.0, 80.0, 42.0])
    panels = [
        explore_figure.Panel("exchange_rate_chained_ves_per_usd", "Chained rate", "bolívares per US$", chained),
        explore_figure.Panel("oil_price", "Oil price", "US$ per barrel", price),
    ]
    fig = explore_figure.explore_figure(
        panels,
        None,
        "en",
        source="s",
        x_range=(pd.Timestamp("2000-01-01"), pd.Timestamp("2020-12-31")),
        log=True,
        dual=dual,
    )
    # Plotly's default writes 1e-6 as "1µ" and 1e-12 as "1p"; the oil price keeps its plain ticks.
    assert fig.layout.yaxis.exponentformat == "power"
    assert fig.layout.yaxis2.exponentformat is None


def test_dual_layout_puts_two_series_on_two_y_axes():
    fig = explore_figure.explore_figure(
        _panels(),
        load_events(),
        "en",
        source="s",
        x_range=(pd.Timestamp("2000-01-01"), pd.Timestamp("2005-12-31")),
        dual=True,
    )
    on_right = {t.name for t in fig.data if t.yaxis == "y2"}
    assert on_right == {"Production · Venezuela", "Production · Colombia"}
    assert fig.layout.yaxis2.side == "right" and fig.layout.yaxis2.title.text == "kb/d"


def test_data_text_shown_through_markdown_stays_text():
    hostile = "[click](javascript:alert(1)) <script>"
    escaped = escape_markdown(hostile)
    assert "](" not in escaped and "<script>" not in escaped


# ---------------------------------------------------------------- the page


def explore_app(**params) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("app_pages/explore.py").run()


def _param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_default_view_draws_oil_price_and_production():
    at = explore_app()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert at.multiselect(key="explore_series").value == list(explore_state.DEFAULT_SERIES)
    assert at.multiselect(key="explore_countries").value == ["VEN"]
    assert at.slider(key="explore_years").value == (1990, 2025)
    notes = [c.value for c in at.caption if "has no data" in c.value or "asked" in c.value]
    assert not at.warning and notes == [], "the first screen opens without a warning (Brent is a world price)"
    assert _param(at, "series") == ",".join(explore_state.DEFAULT_SERIES) and _param(at, "start") == "1990"
    table = at.dataframe[0].value
    years = table["date"].str.extract(r"(\d{4})")[0].astype(int)
    assert set(table["country"]) == {"World", "Venezuela"} and years.between(1990, 2025).all()
    # Titles, not ids (the ids stay in the CSV's provenance).
    assert set(table["series"]) == {"Brent crude oil price, monthly", "Oil production (Energy Institute)"}
    assert at.multiselect(key="explore_series").proto.select_all == 0, "Enter in the search adds one series, not all"
    # Dates by the series' frequency and period, numbers as English writes them, whatever the browser's locale.
    assert "January 1990 (monthly average)" in set(table["date"]) and "1998 (annual average)" in set(table["date"])
    production_1998 = table[(table["country"] == "Venezuela") & (table["date"] == "1998 (annual average)")]
    assert production_1998["value"].tolist() == ["3,447.309"]


def test_an_emptied_choice_of_series_is_in_the_address_and_a_reload_shows_it():
    at = explore_app()
    at.multiselect(key="explore_series").set_value([]).run()
    assert not at.exception and at.info[0].value == "Choose at least one series."
    assert _param(at, "series") == "", "the address follows the emptied choice"
    again = explore_app(**{key: _param(at, key) for key in at.query_params})
    assert not again.exception and again.multiselect(key="explore_series").value == []
    assert again.info[0].value == "Choose at least one series." and not again.get("plotly_chart")


def test_a_shared_link_sets_the_widgets_and_stays_in_the_url():
    at = explore_app(
        series="inflation_avg_imf_pct", countries="VEN,COL", transform="index", base="2010", log="1", lang="es"
    )
    assert not at.exception and not at.warning
    assert at.multiselect(key="explore_series").value == ["inflation_avg_imf_pct"]
    assert at.multiselect(key="explore_countries").value == ["VEN", "COL"]
    assert at.radio(key="explore_transform").value == "index"
    assert at.selectbox(key="explore_base").value == 2010
    assert at.toggle(key="explore_log").value is True
    assert at.toggle(key="explore_log").label == "Escala logarítmica"  # the page speaks Spanish
    for key, value in [
        ("series", "inflation_avg_imf_pct"),
        ("countries", "VEN,COL"),
        ("transform", "index"),
        ("base", "2010"),
        ("log", "1"),
        ("lang", "es"),
    ]:
        assert _param(at, key) == value
    table = at.dataframe[0].value
    assert table.loc[table["date"] == "2010 (promedio anual)", "value"].tolist() == ["100", "100"]  # written in es
    assert set(table["status"]) <= {"dato observado", "estimación", "proyección"}, "statuses in Spanish"
    assert not table["date"].str.contains("Jan|Feb|annual", regex=True).any()


def test_changing_a_widget_updates_the_url():
    at = explore_app()
    at.toggle(key="explore_log").set_value(True).run()
    at.radio(key="explore_transform").set_value("yoy").run()
    assert _param(at, "log") == "1" and _param(at, "transform") == "yoy"
    assert not at.exception


def test_bad_params_warn_and_still_draw_the_default():
    at = explore_app(series="not_a_series", transform="foo", countries="XXX", start="2020", end="2000")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    # Values from the address are shown escaped (inert Markdown): not\_a\_series reads "not_a_series".
    for words in ("`series`", r"not\_a\_series", "`transform`", "foo", "`countries`", "XXX", "`start`"):
        assert words in warnings
    assert len(at.get("plotly_chart")) == 1
    assert at.multiselect(key="explore_series").value == list(explore_state.DEFAULT_SERIES)
    assert _param(at, "transform") == "level"  # the URL now holds what is shown


def test_a_base_year_outside_the_data_warns():
    at = explore_app(series="inflation_avg_imf_pct", transform="index", base="1950")
    assert not at.exception
    assert any("`base`" in w.value and "1950" in w.value for w in at.warning)
    assert at.selectbox(key="explore_base").value == 2013


def test_an_event_link_zooms_and_shows_the_before_after_table():
    at = explore_app(event="coup_2002")
    assert not at.exception
    assert at.slider(key="explore_years").value == (1999, 2005)
    assert any("Coup against Chávez" in h.value for h in at.header)
    table = at.table[0].value
    assert len(table) == 2  # Brent (world) and Venezuela's oil production
    production = table[table["Series"] == "Oil production (Energy Institute)"].iloc[0]
    assert production["Country"] == "Venezuela" and "(2001)" in production["12 months before"]
    assert production["Change, year before"].endswith("%")
    assert _param(at, "event") == "coup_2002"


# ---------------------------------------------------------------- shared between sessions, built once


@pytest.mark.parametrize("dual, log", [(False, False), (False, True), (True, False)])
def test_the_figure_is_what_plotly_validates(dual, log):
    """explore_figure skips Plotly's property-by-property validation for speed: its dicts must pass it unchanged."""
    import json

    import plotly.graph_objects as go

    fig = explore_figure.explore_figure(
        _panels(),
        load_events(),
        "es",
        country_order=["COL", "VEN"],
        source="Fuente: prueba",
        x_range=(pd.Timestamp("1999-01-01"), pd.Timestamp("2005-12-31")),
        dual=dual,
        log=log,
        highlight={"coup_2002"},
    )
    validated = go.Figure(fig.to_dict())  # raises on any property Plotly does not know or accept
    assert json.loads(validated.to_json()) == json.loads(fig.to_json())


def test_the_chart_follows_every_change_and_a_view_seen_before_comes_back_the_same():
    at = explore_app()
    level = at.get("plotly_chart")[0].proto.spec
    at.radio(key="explore_transform").set_value("yoy").run()
    change = at.get("plotly_chart")[0].proto.spec
    at.slider(key="explore_years").set_value((2000, 2010)).run()
    shorter = at.get("plotly_chart")[0].proto.spec
    at.radio(key="explore_transform").set_value("level").run()
    at.slider(key="explore_years").set_value((1990, 2025)).run()
    assert not at.exception
    assert len({level, change, shorter}) == 3  # each choice draws its own chart
    assert at.get("plotly_chart")[0].proto.spec == level  # the first view again, as it was
    table = at.dataframe[0].value
    assert table["date"].iloc[0] == "January 1990 (monthly average)" and table["value"].iloc[0] == "21.25"  # Brent


def test_every_view_is_the_same_whether_built_or_shared():
    """The shared (cached) rows, events and figure are exactly what the pure functions build for the view."""
    from app.runtime import data
    from app.views import explore_shared

    state = ExploreState(series=("inflation_avg_imf_pct", "gdp_wb_usd"), countries=("VEN", "COL"), transform="yoy")
    events = data.events()
    for _ in range(2):  # built, then shared
        for sid in state.series:
            shown, part = explore_shared.rows(data.series_data(sid), ["VEN", "COL"], state)
            expected = explore_series.transformed(data.series(sid), "annual", ["VEN", "COL"], state)
            pd.testing.assert_frame_equal(shown, expected)
            pd.testing.assert_frame_equal(part, explore_series.table_part(sid, expected))
        x_range = (pd.Timestamp("1990-01-01"), pd.Timestamp("2025-12-31"))
        shown_events, marks = explore_shared.events_to_show(
            list(state.series), None, "coup_2002", "en", x_range, {"oil": "Oil"}
        )
        pd.testing.assert_frame_equal(
            shown_events, explore_series.events_to_show(events, state.series, None, "coup_2002")
        )
        assert marks == explore_figure.explore_event_marks(shown_events, "en", x_range, {"oil": "Oil"}, {"coup_2002"})


# ---------------------------------------------------------------- what the page says about a state (explore_view)
def test_the_notes_say_what_the_chart_does_differently_from_the_choice():
    from app.views import explore_view

    entry = loaders.catalog().loc["inflation_avg_imf_pct"]
    choice = explore_series.countries_for(["COL", "BRA"], ["VEN"])
    state = ExploreState(series=("inflation_avg_imf_pct",), transform="yoy", freq="monthly", start=2030, end=2031)
    empty = pd.DataFrame({"date": pd.to_datetime([]), "country": [], "value": []})
    notes = explore_view.series_notes(entry, choice, empty, state, ["VEN"])
    assert [n.split(":")[0] for n in notes][:1] == [escape_markdown(entry["title_en"]) + " has no data for Venezuela"]
    assert any(n.startswith("Monthly averages do not apply") for n in notes)
    assert any("is already a rate" in n for n in notes)
    assert notes[-1].endswith("nothing to show for 2030–2031 with these choices.")
    assert explore_view.series_notes(
        entry, explore_series.countries_for(["VEN"], ["VEN"]), empty.iloc[:0], ExploreState(), ["VEN"]
    ) == [escape_markdown(entry["title_en"]) + ": nothing to show for 1990–2025 with these choices."]


def test_a_panel_says_its_unit_as_transformed_and_where_its_dates_sit():
    from app.views import explore_view

    entry = loaders.catalog().loc["oil_price_brent_monthly_usd_per_barrel"]
    rows = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"]), "country": ["WLD"], "value": [1.0]})
    panel = explore_view.series_panel(entry, rows, ExploreState(transform="index", base=2013, freq="annual", lang="es"))
    assert (panel.series_id, panel.frequency, panel.period) == (entry.name, "annual", "average")
    assert "2013" in panel.unit and panel.title == entry["title_es"]
