"""Explore's controls from one run to the next: what each widget holds when a new link arrives, how the
choices are fitted to the data (years, base year), which warnings the page shows, and the state that goes
back to the URL. No Streamlit here: the page passes its query parameters and session state in as mappings
and writes what comes back.

>>> values = widget_values(explore_state.ExploreState(), ["oil", "politics"])
>>> values[WIDGET_KEYS["years"]], values[WIDGET_KEYS["cats"]]
((1990, 2025), ['oil', 'politics'])
>>> state_from_widgets(values, ["oil", "politics"], "en") == explore_state.ExploreState()
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from app.i18n import translator
from app.views import explore_state, explore_view
from loaders.metadata import country_name

# Streamlit widget keys, one per control.
WIDGET_KEYS = {
    name: f"explore_{name}"
    for name in ("series", "countries", "transform", "base", "log", "freq", "years", "cats", "layout", "event")
}
# Session keys: the URL parameters this page last wrote, and the state it last showed.
URL_WRITTEN, LAST_STATE = "explore_url_written", "explore_state"
# Session keys: the years the reader last asked for, and what the last fit to the data put in the slider.
YEARS_ASKED, YEARS_FITTED = "explore_years_asked", "explore_years_fitted"
# The controls under "More options" and their values when untouched (the categories: all of them).
_MORE_DEFAULTS = {"freq": "native", "layout": "stacked", "event": ""}


def event_category_keys(events: pd.DataFrame, categories: Collection[str]) -> list[str]:
    """The event-category control's options: the catalogue's categories, and 'context' if some event is one."""
    keys = list(categories)
    if "kind" in events.columns and (events["kind"] == "context").any():
        keys.append("context")
    return keys


def widget_values(state: explore_state.ExploreState, category_keys: Collection[str]) -> dict[str, object]:
    """What each control holds for ``state``, by widget key."""
    values = {
        "series": list(state.series),
        "countries": list(state.countries),
        "transform": state.transform,
        "base": state.base,
        "log": state.log,
        "freq": state.freq,
        "years": (state.start, state.end),
        "cats": list(category_keys if state.cats is None else state.cats),
        "layout": state.layout,
        "event": state.event or "",
    }
    return {WIDGET_KEYS[name]: value for name, value in values.items()}


@dataclass(frozen=True)
class Arrival:
    """How a run starts: the widget values to load (none when the controls already show the URL), the link's
    parameters that could not be used, and whether the state came from the link (its warnings then say so)."""

    widgets: dict[str, object]
    problems: list[explore_state.Problem]
    from_url: bool


def arrival(
    query: Mapping[str, str],
    session: Mapping[str, object],
    series_ids: Collection[str],
    category_keys: Collection[str],
    event_years: Mapping[str, tuple[int, int]],
) -> Arrival:
    """Read the URL once per new link: a link this page did not write sets every control; coming back to
    Explore from another page (a URL without Explore's parameters) continues the exploration where it was.

    >>> arrival({}, {}, ["a"], [], {}).from_url
    True
    >>> written = {URL_WRITTEN: {}, WIDGET_KEYS["series"]: ["a"]}
    >>> arrival({"lang": "es"}, written, ["a"], [], {}).widgets
    {}
    """
    asked = {key: value for key, value in query.items() if key in explore_state.STATE_KEYS}
    if asked == session.get(URL_WRITTEN) and WIDGET_KEYS["series"] in session:
        return Arrival({}, [], from_url=False)
    last = session.get(LAST_STATE)
    if asked or not isinstance(last, explore_state.ExploreState):
        state, problems = explore_state.parse_state(query, list(series_ids), list(category_keys), event_years)
        return Arrival(widget_values(state, category_keys), problems, from_url=True)
    return Arrival(widget_values(last, category_keys), [], from_url=False)


def years_around_event(event_years: Mapping[str, tuple[int, int]], event: object) -> tuple[int, int] | None:
    """The Years control's range when the reader picks an event: its years and a few either side.

    >>> years_around_event({"coup_2002": (2002, 2002)}, "coup_2002"), years_around_event({}, "")
    ((1999, 2005), None)
    """
    if event not in event_years:
        return None
    first, last = event_years[str(event)]
    return first - explore_state.EVENT_WINDOW_YEARS, last + explore_state.EVENT_WINDOW_YEARS


def country_options(available: Mapping[str, Collection[str]], chosen: Collection[str], lang: str) -> list[str]:
    """The Countries control's options: every country a chosen series has (Venezuela first, then by name in
    ``lang``), then the ones already chosen that none has (kept so the choice survives a change of series).

    >>> country_options({"s": ["COL", "VEN", "ARG"]}, ["VEN", "PER"], "en")
    ['VEN', 'ARG', 'COL', 'PER']
    """
    present = sorted(
        {code for codes in available.values() for code in codes}, key=lambda c: (c != "VEN", country_name(c, lang))
    )
    return present + [code for code in chosen if code not in present]


@dataclass(frozen=True)
class YearsFit:
    """The years and base-year controls fitted to the data: the slider's bounds, the base years offered, the
    values to put in the two controls (and the years asked, kept), the years the reader asked for, and the base
    year asked for with its Problem when the data lacks it."""

    lo: int
    hi: int
    base_years: list[int]
    widgets: dict[str, object]
    base_asked: int
    base_problem: explore_state.Problem | None
    years_asked: tuple[int, int] = (explore_state.DEFAULT_START, explore_state.DEFAULT_END)

    @property
    def years_narrowed(self) -> bool:
        """Whether the slider shows fewer years than the reader asked for."""
        return self.widgets[WIDGET_KEYS["years"]] != self.years_asked


def fit_years(session: Mapping[str, object], years_present: Collection[int]) -> YearsFit:
    """Fit the chosen years and base year (read from ``session``) to the years the chosen series have.

    The years the reader asked for are kept apart from what the slider shows, so that a series with fewer years
    narrows the slider only while it is the one chosen: the slider holds the reader's own range unless it still
    holds what the last fit put there.

    >>> fit = fit_years({WIDGET_KEYS["years"]: (1950, 2030), WIDGET_KEYS["base"]: 1980}, {2000, 2013, 2020})
    >>> fit.lo, fit.hi, fit.widgets[WIDGET_KEYS["years"]], fit.widgets[WIDGET_KEYS["base"]], fit.base_asked
    (2000, 2020, (2000, 2020), 2013, 1980)
    >>> later = fit_years({**fit.widgets, WIDGET_KEYS["base"]: 2013}, range(1940, 2031))
    >>> later.widgets[WIDGET_KEYS["years"]], later.years_narrowed
    ((1950, 2030), False)
    """
    lo, hi = explore_view.year_bounds(years_present)
    shown = tuple(session.get(WIDGET_KEYS["years"], (explore_state.DEFAULT_START, explore_state.DEFAULT_END)))
    asked = shown if shown != session.get(YEARS_FITTED) else tuple(session.get(YEARS_ASKED, shown))
    start, end = int(asked[0]), int(asked[1])
    fitted = explore_state.clamp_years(start, end, lo, hi)
    base_asked = int(session.get(WIDGET_KEYS["base"], explore_state.DEFAULT_BASE))
    base, problem = explore_state.check_base(base_asked, years_present)
    widgets = {
        WIDGET_KEYS["years"]: fitted,
        WIDGET_KEYS["base"]: base,
        YEARS_ASKED: (start, end),
        YEARS_FITTED: fitted,
    }
    return YearsFit(lo, hi, sorted(years_present, reverse=True), widgets, base_asked, problem, (start, end))


def more_options_open(session: Mapping[str, object], category_keys: Collection[str]) -> bool:
    """Whether "More options" opens by itself: when one of its controls is not at its default."""
    changed = any(session.get(WIDGET_KEYS[name]) != value for name, value in _MORE_DEFAULTS.items())
    return changed or set(session.get(WIDGET_KEYS["cats"], [])) != set(category_keys)


def state_from_widgets(
    session: Mapping[str, object], category_keys: Collection[str], lang: str
) -> explore_state.ExploreState:
    """The state the controls (read from ``session`` by widget key) show."""

    def value(name: str) -> object:
        return session[WIDGET_KEYS[name]]

    cats = set(value("cats"))
    start, end = value("years")
    return explore_state.ExploreState(
        series=tuple(value("series")),
        countries=tuple(value("countries")) or explore_state.DEFAULT_COUNTRIES,
        transform=str(value("transform")),
        base=int(value("base")),
        log=bool(value("log")),
        freq=str(value("freq")),
        start=int(start),
        end=int(end),
        cats=None if cats == set(category_keys) else tuple(c for c in category_keys if c in cats),
        layout=str(value("layout")),
        event=str(value("event")) or None,
        lang=lang,
    )


@dataclass(frozen=True)
class Notice:
    """A message about the chart: a ``warning`` above the controls, or a ``caption`` or ``info`` below them."""

    kind: Literal["warning", "caption", "info"]
    text: str


def dual_axes(state: explore_state.ExploreState, loaded: int) -> bool:
    """Whether the chart draws two series on two axes: the dual layout needs exactly two."""
    return state.layout == "dual" and loaded == 2


def notices(state: explore_state.ExploreState, fit: YearsFit, from_url: bool, loaded: int) -> list[Notice]:
    """What the chart does differently from the choice: a base year the data lacks (a warning when a link
    asked for it, a caption when the reader's change of series moved it), fewer years than asked for (a caption)
    and a dual layout without two series.

    >>> state = explore_state.ExploreState(layout="dual")
    >>> [notice.kind for notice in notices(state, fit_years({}, range(1980, 2030)), from_url=True, loaded=3)]
    ['info']
    >>> [notice.text[:19] for notice in notices(state, fit_years({}, {2000, 2001}), from_url=True, loaded=2)]
    ['Years 1990–2025 ask']
    """
    tr = translator(explore_view.TEXT, state.lang)
    found: list[Notice] = []
    if fit.base_problem is not None and state.transform == "index":
        if from_url:
            found.append(Notice("warning", fit.base_problem.message(state.lang)))
        else:
            found.append(Notice("caption", tr("base_moved", asked=fit.base_asked, base=state.base)))
    if fit.years_narrowed:
        (start, end), (asked_start, asked_end) = fit.widgets[WIDGET_KEYS["years"]], fit.years_asked
        found.append(
            Notice(
                "caption",
                tr("years_narrowed", asked=f"{asked_start}–{asked_end}", lo=fit.lo, hi=fit.hi, shown=f"{start}–{end}"),
            )
        )
    if state.layout == "dual" and loaded != 2:
        found.append(Notice("info", tr("dual_needs_two", n=loaded)))
    return found


def url_without_series(query: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The query parameters once the reader has emptied the Series control (the rest as they were), and the
    part of them the next run compares with its URL.

    >>> url_without_series({"series": "a,b", "start": "2000", "lang": "es"})
    ({'series': '', 'start': '2000', 'lang': 'es'}, {'series': '', 'start': '2000'})
    """
    params = {**query, "series": ""}
    return params, {key: value for key, value in params.items() if key in explore_state.STATE_KEYS}


def url_after_run(state: explore_state.ExploreState) -> tuple[dict[str, str], dict[str, str]]:
    """The query parameters for ``state``, and the part of them the next run compares with its URL
    (``arrival``'s ``URL_WRITTEN``)."""
    params = explore_state.state_to_params(state)
    return params, {key: value for key, value in params.items() if key in explore_state.STATE_KEYS}
