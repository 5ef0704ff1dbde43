"""Explore's controls from run to run (app.views.explore_controls): the link read once, the return from
another page, years and base year fitted to the data, the warnings, and the URL written back."""

from dataclasses import replace

import pandas as pd

from app.views import explore_controls, explore_state
from app.views.explore_controls import LAST_STATE, URL_WRITTEN, WIDGET_KEYS

SERIES = ["inflation_avg_imf_pct", "gdp_growth_imf_pct"]
CATEGORIES = ["oil", "politics"]
EVENT_YEARS = {"coup_2002": (2002, 2002)}


def test_a_new_link_sets_every_control_and_says_what_it_could_not_use():
    query = {"series": "inflation_avg_imf_pct,nope", "start": "2000", "event": "coup_2002", "lang": "es"}
    arrival = explore_controls.arrival(query, {}, SERIES, CATEGORIES, EVENT_YEARS)
    assert arrival.from_url
    assert arrival.widgets[WIDGET_KEYS["series"]] == ["inflation_avg_imf_pct"]
    assert arrival.widgets[WIDGET_KEYS["years"]] == (2000, 2005)
    assert arrival.widgets[WIDGET_KEYS["event"]] == "coup_2002"
    assert arrival.widgets[WIDGET_KEYS["cats"]] == CATEGORIES
    assert [problem.param for problem in arrival.problems] == ["series"]


def test_the_url_the_page_wrote_itself_changes_nothing():
    state = explore_state.ExploreState(series=("gdp_growth_imf_pct",), start=2005)
    params, written = explore_controls.url_after_run(state)
    session = {URL_WRITTEN: written, LAST_STATE: state, **explore_controls.widget_values(state, CATEGORIES)}
    arrival = explore_controls.arrival(params, session, SERIES, CATEGORIES, EVENT_YEARS)
    assert arrival == explore_controls.Arrival({}, [], from_url=False)


def test_back_from_another_page_the_exploration_continues():
    state = explore_state.ExploreState(series=("gdp_growth_imf_pct",), transform="yoy")
    session = {URL_WRITTEN: {"series": "x"}, LAST_STATE: state}
    arrival = explore_controls.arrival({"lang": "en"}, session, SERIES, CATEGORIES, EVENT_YEARS)
    assert not arrival.from_url and not arrival.problems
    assert arrival.widgets == explore_controls.widget_values(state, CATEGORIES)


def test_controls_round_trip_every_field():
    state = explore_state.ExploreState(
        series=("gdp_growth_imf_pct",),
        countries=("VEN", "COL"),
        transform="index",
        base=2010,
        log=True,
        freq="annual",
        start=1999,
        end=2020,
        cats=("oil",),
        layout="dual",
        event="coup_2002",
        lang="es",
    )
    values = explore_controls.widget_values(state, CATEGORIES)
    assert explore_controls.state_from_widgets(values, CATEGORIES, "es") == state
    no_countries = values | {WIDGET_KEYS["countries"]: []}
    restored = explore_controls.state_from_widgets(no_countries, CATEGORIES, "es")
    assert restored.countries == explore_state.DEFAULT_COUNTRIES


def test_years_and_base_fit_the_data():
    fit = explore_controls.fit_years({WIDGET_KEYS["years"]: (2030, 2040), WIDGET_KEYS["base"]: 2013}, {2000, 2013})
    assert (fit.lo, fit.hi, fit.base_years, fit.base_problem) == (2000, 2013, [2013, 2000], None)
    assert fit.widgets[WIDGET_KEYS["years"]] == (2000, 2013)  # nothing asked is inside: the whole range
    empty = explore_controls.fit_years({}, set())
    expected = (explore_state.DEFAULT_START, explore_state.DEFAULT_END)
    assert (empty.lo, empty.hi) == expected


def test_a_series_with_fewer_years_narrows_the_slider_says_so_and_the_asked_years_come_back():
    asked = {WIDGET_KEYS["years"]: (1990, 2025)}
    short = explore_controls.fit_years(asked, range(1960, 2024))  # a series that ends in 2023
    assert short.widgets[WIDGET_KEYS["years"]] == (1990, 2023)
    [said] = explore_controls.notices(explore_state.ExploreState(end=2023), short, from_url=False, loaded=1)
    assert said.kind == "caption" and "1990–2025 asked" in said.text and "shows 1990–2023" in said.text
    longer = explore_controls.fit_years(short.widgets, range(1960, 2026))  # a series to 2025 is added
    assert longer.widgets[WIDGET_KEYS["years"]] == (1990, 2025) and not longer.years_narrowed
    moved = explore_controls.fit_years(short.widgets | {WIDGET_KEYS["years"]: (2000, 2010)}, range(1960, 2026))
    assert moved.widgets[WIDGET_KEYS["years"]] == (2000, 2010), "the reader's own move is the new ask"


def test_a_missing_base_year_warns_after_a_link_and_is_noted_after_a_change():
    fit = explore_controls.fit_years({WIDGET_KEYS["base"]: 1980}, set(range(1990, 2026)))
    state = explore_state.ExploreState(transform="index", base=2013)
    [after_link] = explore_controls.notices(state, fit, from_url=True, loaded=2)
    assert after_link.kind == "warning" and "`base`" in after_link.text
    [after_change] = explore_controls.notices(replace(state, lang="es"), fit, from_url=False, loaded=2)
    assert after_change.kind == "caption" and "1980" in after_change.text and "2013" in after_change.text
    assert explore_controls.notices(replace(state, transform="level"), fit, from_url=True, loaded=2) == []


def test_dual_axes_need_exactly_two_series():
    dual = explore_state.ExploreState(layout="dual")
    fit = explore_controls.fit_years({}, set(range(1990, 2026)))
    assert explore_controls.dual_axes(dual, 2) and not explore_controls.dual_axes(dual, 3)
    assert [n.kind for n in explore_controls.notices(dual, fit, from_url=False, loaded=1)] == ["info"]
    assert explore_controls.notices(dual, fit, from_url=False, loaded=2) == []


def test_more_options_open_when_one_of_them_is_changed():
    defaults = explore_controls.widget_values(explore_state.ExploreState(), CATEGORIES)
    assert not explore_controls.more_options_open(defaults, CATEGORIES)
    assert explore_controls.more_options_open(defaults | {WIDGET_KEYS["freq"]: "annual"}, CATEGORIES)
    assert explore_controls.more_options_open(defaults | {WIDGET_KEYS["cats"]: ["oil"]}, CATEGORIES)


def test_context_is_a_category_only_when_an_event_is_context():
    events = pd.DataFrame({"kind": ["event", "context"]})
    assert explore_controls.event_category_keys(events, CATEGORIES) == [*CATEGORIES, "context"]
    assert explore_controls.event_category_keys(events.iloc[:1], CATEGORIES) == CATEGORIES


def test_picking_an_event_zooms_the_years_around_it():
    assert explore_controls.years_around_event(EVENT_YEARS, "coup_2002") == (1999, 2005)
    assert explore_controls.years_around_event(EVENT_YEARS, "") is None
