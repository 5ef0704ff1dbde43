"""Explore's frames, figure and tables, built once per choice and shared between sessions (``cache.build_shared``).

A class of thirty changing Explore's controls every two seconds asks one small server for fifteen charts a
second, so what each change does not alter is kept, keyed on exactly what it is built from:

- per series (``rows``, ``for_drawing``, ``years``, ``before_after_table``): the series (its id, sha256 and data
  version), the countries drawn and only the choices that change its rows (``row_choices``: transform, base
  year for an index, frequency, years), so a change of language, layout or events reuses them;
- per view (``shared_unless_uploaded``): the figure, the table and its display by every input they are built
  from. A view with uploaded files (one session's own data) is built every time and never shared.

Everything returned is shared: show it, do not modify it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

import pandas as pd

from app.charts import explore_figure
from app.runtime import cache, data
from app.views import explore_before_after, explore_series, explore_state

T = TypeVar("T")
RowChoices = tuple[str, int | None, str, int, int]


def row_choices(state: explore_state.ExploreState) -> RowChoices:
    """What in ``state`` decides a series' plotted rows: transform, base year (an index's only), frequency, years."""
    base = state.base if state.transform == "index" else None
    return state.transform, base, state.freq, state.start, state.end


def _state_of(choices: RowChoices) -> explore_state.ExploreState:
    transform, base, freq, start, end = choices
    base = explore_state.DEFAULT_BASE if base is None else base
    return explore_state.ExploreState(transform=transform, base=base, freq=freq, start=start, end=end)


def rows(
    series: data.SeriesData, countries: Collection[str], state: explore_state.ExploreState
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``explore_series.transformed`` of the series, its ``explore_series.table_part``)."""
    shown, part = cache.build_shared(_rows, series, tuple(countries), row_choices(state))
    return cache.shallow_copy(shown), cache.shallow_copy(part)


def _rows(
    series: data.SeriesData, countries: tuple[str, ...], choices: RowChoices
) -> tuple[pd.DataFrame, pd.DataFrame]:
    # A change of years only selects other rows of the series transformed for every year.
    every_year = cache.build_shared(_every_year, series, countries, choices[:3])
    shown = explore_series.in_years(every_year, *choices[3:])
    return shown, explore_series.table_part(series.id, shown)


def _every_year(series: data.SeriesData, countries: tuple[str, ...], choices: tuple[str, int | None, str]):
    """``explore_series.transform_every_year`` of the series' rows for these countries."""
    state = _state_of((*choices, explore_state.DEFAULT_START, explore_state.DEFAULT_END))
    country_rows = cache.build_shared(_country_rows, series, countries)
    return explore_series.transform_every_year(country_rows, series.entry["frequency"], state)


def _country_rows(series: data.SeriesData, countries: tuple[str, ...]) -> pd.DataFrame:
    """``explore_series.country_rows``: filtered and sorted once per series and countries."""
    return explore_series.country_rows(series.frame, countries)


def for_drawing(
    series: data.SeriesData, countries: Collection[str], state: explore_state.ExploreState, lines: int
) -> pd.DataFrame:
    """``explore_series.for_drawing`` of the series' ``rows(series, countries, state)``, ``lines`` lines in all."""
    return cache.shallow_copy(cache.build_shared(_for_drawing, series, tuple(countries), row_choices(state), lines))


def _for_drawing(series: data.SeriesData, countries: tuple[str, ...], choices: RowChoices, lines: int) -> pd.DataFrame:
    shown, _ = cache.build_shared(_rows, series, countries, choices)
    return explore_series.for_drawing(shown, lines)


def years(series: data.SeriesData, countries: Collection[str]) -> frozenset[int]:
    """The years the series has data for in these countries."""
    return cache.build_shared(_years, series, tuple(countries))


def _years(series: data.SeriesData, countries: tuple[str, ...]) -> frozenset[int]:
    return frozenset(series.frame[series.frame["country"].isin(countries)]["date"].dt.year)


def before_after_table(
    chosen: Collection[data.SeriesData],
    used: Mapping[str, Collection[str]],
    state: explore_state.ExploreState,
    event_date: pd.Timestamp,
) -> pd.DataFrame:
    """``explore_before_after.before_after_rows`` of each series' levels (every year, at ``state.freq``, for the
    countries it draws) around ``event_date``."""
    countries = {series.id: tuple(used[series.id]) for series in chosen}
    return cache.build_shared(_before_after_table, tuple(chosen), countries, state.freq, event_date, state.lang)


def _before_after_table(
    chosen: tuple[data.SeriesData, ...], countries: dict[str, tuple[str, ...]], freq: str, event_date, lang: str
) -> pd.DataFrame:
    levels = ("level", None, freq, 1, 9999)
    results = []
    for series in chosen:
        entry = series.entry
        shown_freq = explore_series.effective_frequency(entry["frequency"], freq)
        points = explore_before_after.is_percentage(entry["unit"])
        shown, _ = cache.build_shared(_rows, series, countries[series.id], levels)
        change = explore_before_after.before_after(shown, event_date, shown_freq, points)
        results.append((entry[f"title_{lang}"], change, shown_freq, points))
    return explore_before_after.before_after_rows(results, lang)


def shared_unless_uploaded(uploads: Collection[object], build: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``build(*args, **kwargs)``, shared by every session (``cache.build_shared``) unless the view shows files
    the reader uploaded: those are one session's own data, built for it alone."""
    if uploads:
        return build(*args, **kwargs)
    return cache.build_shared(build, *args, **kwargs)


def series_choices(lang: str) -> tuple[list[str], dict[str, str]]:
    """The Series control's options (``explore_series.sorted_series``) and their labels
    (``explore_series.series_label``)."""
    ids, labels = cache.build_shared(_series_choices, lang)
    return list(ids), dict(labels)


def _series_choices(lang: str) -> tuple[tuple[str, ...], dict[str, str]]:
    catalog = data.series_catalog()
    ids = tuple(explore_series.sorted_series(catalog, "en"))
    return ids, {sid: explore_series.series_label(catalog, sid, lang) for sid in catalog.index}


def event_choices(lang: str) -> tuple[dict[str, tuple[int, int]], list[str], dict[str, str]]:
    """For the event control and the URL: each event's (first year, last year), the ids by date, their labels."""
    years, ids, labels = cache.build_shared(_event_choices, lang)
    return dict(years), list(ids), dict(labels)


def _event_choices(lang: str) -> tuple[dict, tuple, dict]:
    events = data.events()
    years = {
        row.id: (row.start.year, (row.end if pd.notna(row.end) else row.start).year) for row in events.itertuples()
    }
    ids = tuple(events.sort_values("start")["id"])
    labels = {row.id: f"{row.start:%Y-%m-%d} · {getattr(row, f'title_{lang}')}" for row in events.itertuples()}
    return years, ids, labels


def events_to_show(
    series_ids: Collection[str],
    cats: Collection[str] | None,
    highlight: str | None,
    lang: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    category_names: dict[str, str],
) -> tuple[pd.DataFrame, list[dict]]:
    """``explore_series.events_to_show`` of every event, and their ``explore_figure.explore_event_marks`` for
    ``explore_figure`` (with its default sizes).

    The same whatever the transform, frequency, countries or layout: the events are kept per series,
    categories and highlighted event, their marks also per language and years.
    """
    which = (tuple(series_ids), None if cats is None else tuple(cats), highlight)
    shown = cache.build_shared(_events_shown, *which)
    highlighted = {highlight} if highlight else None
    marks = cache.build_shared(explore_figure.explore_event_marks, shown, lang, x_range, category_names, highlighted)
    return cache.shallow_copy(shown), marks


def _events_shown(series_ids: tuple[str, ...], cats: tuple[str, ...] | None, highlight: str | None) -> pd.DataFrame:
    return explore_series.events_to_show(data.events(), series_ids, cats, highlight)
