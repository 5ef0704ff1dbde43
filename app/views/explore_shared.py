"""Explore's frames, figure and tables, built once per choice and shared between sessions (see ``app.runtime.cache``).

A class of thirty changing Explore's controls every two seconds asks one small server for fifteen charts a
second, so what each change does not alter is kept, keyed on exactly what it is built from:

- per series (``rows``, ``for_drawing``, ``years``, ``before_after``): the snapshot (its sha256), the
  countries drawn and the choices that change its rows (transform, base year, frequency, years);
- per view (``shared_view``): the figure by ``view_key`` (the state, the series that loaded, the countries
  chosen, their snapshots and the events), the table and the before/after table by ``table_key`` and
  ``before_after_key`` (only what they show). A view with uploaded files (one session's own data) is built
  every time and never shared.

Everything returned is shared: show it, do not modify it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

import pandas as pd

from app.charts import explore_figure
from app.runtime import cache, data
from app.views import explore_before_after, explore_series, explore_state

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """One chosen series as read: its id, its snapshot's sha256, its native frequency and its frame."""

    series_id: str
    sha256: str
    native: str
    frame: pd.DataFrame = dataclasses.field(compare=False, repr=False)

    def key(self, countries: Collection[str], state: explore_state.ExploreState) -> tuple:
        """What decides this series' plotted rows (the base year only matters to an index)."""
        base = state.base if state.transform == "index" else None
        every_year = (self.series_id, self.sha256, self.native, tuple(countries), state.transform, base, state.freq)
        return (*every_year, state.start, state.end)


def rows(
    snapshot: Snapshot, countries: Collection[str], state: explore_state.ExploreState
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``explore_series.transformed`` of the series, its ``explore_series.table_part``)."""
    shown, part = _rows(snapshot.key(countries, state), snapshot.frame, state)
    return shown.copy(deep=False), part.copy(deep=False)


@cache.shared(max_entries=128)
def _rows(key: tuple, _frame: pd.DataFrame, _state: explore_state.ExploreState) -> tuple[pd.DataFrame, pd.DataFrame]:
    series_id, *_, start, end = key
    shown = explore_series.in_years(_every_year(key[:-2], _frame, _state), start, end)
    return shown, explore_series.table_part(series_id, shown)


@cache.shared(max_entries=64)
def _every_year(key: tuple, _frame: pd.DataFrame, _state: explore_state.ExploreState) -> pd.DataFrame:
    """``explore_series.transform_every_year``: a change of years only selects other rows of it."""
    series_id, sha256, native, countries, *_ = key
    return explore_series.transform_every_year(_country_rows(series_id, sha256, countries, _frame), native, _state)


@cache.shared(max_entries=64)
def _country_rows(series_id: str, sha256: str, countries: tuple[str, ...], _frame: pd.DataFrame) -> pd.DataFrame:
    """``explore_series.country_rows``: filtered and sorted once per series and countries."""
    return explore_series.country_rows(_frame, countries)


def for_drawing(
    snapshot: Snapshot, shown: pd.DataFrame, countries: Collection[str], state: explore_state.ExploreState, lines: int
) -> pd.DataFrame:
    """``explore_series.for_drawing`` of ``shown``, the ``rows(snapshot, countries, state)``."""
    if len(shown) <= explore_series.points_per_line(lines):
        return shown  # nothing to thin: nothing to keep
    return _for_drawing(snapshot.key(countries, state), lines, shown).copy(deep=False)


@cache.shared(max_entries=32)
def _for_drawing(key: tuple, lines: int, _shown: pd.DataFrame) -> pd.DataFrame:
    return explore_series.for_drawing(_shown, lines)


def years(snapshot: Snapshot, countries: Collection[str]) -> frozenset[int]:
    """The years the series has data for in these countries."""
    return _years(snapshot.series_id, snapshot.sha256, tuple(countries), snapshot.frame)


@cache.shared(max_entries=512)
def _years(series_id: str, sha256: str, countries: tuple[str, ...], _frame: pd.DataFrame) -> frozenset[int]:
    return frozenset(_frame[_frame["country"].isin(countries)]["date"].dt.year)


def before_after(
    snapshot: Snapshot,
    countries: Collection[str],
    state: explore_state.ExploreState,
    event_date: pd.Timestamp,
    frequency: str,
    points: bool,
) -> pd.DataFrame:
    """``explore_before_after.before_after`` of the series' levels (every year, at ``state.freq``)
    around ``event_date``."""
    levels = dataclasses.replace(state, transform="level", start=1, end=9999)
    key = (snapshot.key(countries, levels), pd.Timestamp(event_date), frequency, points)
    return _before_after(key, snapshot, levels).copy(deep=False)


@cache.shared(max_entries=128)
def _before_after(key: tuple, _snapshot: Snapshot, _levels: explore_state.ExploreState) -> pd.DataFrame:
    _rows_key, event_date, frequency, points = key
    countries = _rows_key[3]
    return explore_before_after.before_after(rows(_snapshot, countries, _levels)[0], event_date, frequency, points)


def view_key(
    state: explore_state.ExploreState, snapshots: Collection[Snapshot], countries: Collection[str], events_key: str
) -> tuple:
    """Everything a view of Explore is built from when it has no uploaded files.

    ``snapshots`` are the chosen series that could be read, ``countries`` the countries widget's value (the
    figure orders the countries by it), ``events_key`` the ``cache.frame_key`` of every event (the figure
    picks its own from them).
    """
    loaded = tuple((s.series_id, s.sha256) for s in snapshots)
    return (dataclasses.astuple(state), loaded, tuple(countries), events_key)


def table_key(snapshots: Collection[Snapshot], used: Mapping[str, Collection[str]], state: explore_state.ExploreState):
    """What the table of the plotted rows (``explore_series.table_of_parts`` of the series' ``rows``) is built from."""
    return ("table", *(s.key(used[s.series_id], state) for s in snapshots))


def before_after_key(
    snapshots: Collection[Snapshot],
    used: Mapping[str, Collection[str]],
    state: explore_state.ExploreState,
    events_key: str,
) -> tuple:
    """What the before/after table of the highlighted event is built from (the levels at the chosen frequency)."""
    series = tuple((s.series_id, s.sha256, s.native, tuple(used[s.series_id])) for s in snapshots)
    return ("before_after", state.lang, events_key, state.event, state.freq, series)


def shared_view(kind: str, key: tuple | None, build: Callable[[], T]) -> T:
    """``build()``, kept per ``kind`` ('figure', 'table', ...) and ``view_key``; built every time if key is None."""
    if key is None:
        return build()
    return _shared_view(kind, data.data_version(), key, build)


@cache.shared(max_entries=64)
def _shared_view(kind: str, data_version: str, key: tuple, _build: Callable[[], T]) -> T:
    return _build()


def series_choices(catalog: pd.DataFrame, lang: str) -> tuple[list[str], dict[str, str]]:
    """The Series control's options (``explore_series.sorted_series``) and their labels
    (``explore_series.series_label``)."""
    ids, labels = _series_choices(data.data_version(), lang, tuple(catalog.index), catalog)
    return list(ids), dict(labels)


@cache.shared(max_entries=8)
def _series_choices(
    data_version: str, lang: str, ids: tuple[str, ...], _catalog: pd.DataFrame
) -> tuple[tuple[str, ...], dict]:
    return tuple(explore_series.sorted_series(_catalog, "en")), {
        sid: explore_series.series_label(_catalog, sid, lang) for sid in ids
    }


def event_choices(
    events: pd.DataFrame, events_key: str, lang: str
) -> tuple[dict[str, tuple[int, int]], list[str], dict[str, str]]:
    """For the event control and the URL: each event's (first year, last year), the ids by date, their labels."""
    years, ids, labels = _event_choices(events_key, lang, events)
    return dict(years), list(ids), dict(labels)


@cache.shared(max_entries=16)
def _event_choices(events_key: str, lang: str, _events: pd.DataFrame) -> tuple[dict, tuple, dict]:
    years = {
        row.id: (row.start.year, (row.end if pd.notna(row.end) else row.start).year) for row in _events.itertuples()
    }
    ids = tuple(_events.sort_values("start")["id"])
    labels = {row.id: f"{row.start:%Y-%m-%d} · {getattr(row, f'title_{lang}')}" for row in _events.itertuples()}
    return years, ids, labels


def events_to_show(
    events: pd.DataFrame,
    events_key: str,
    series_ids: Collection[str],
    cats: Collection[str] | None,
    highlight: str | None,
    lang: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    category_names: dict[str, str],
) -> tuple[pd.DataFrame, list[dict]]:
    """``explore_series.events_to_show`` of every event (``events``, whose ``cache.frame_key`` is ``events_key``), and
    their ``explore_figure.explore_event_marks`` for ``explore_figure`` (with its default sizes).

    The same whatever the transform, frequency, countries or layout: the events are kept per series,
    categories and highlighted event, their marks also per language and years.
    """
    which = (events_key, tuple(series_ids), None if cats is None else tuple(cats), highlight)
    shown = _events_shown(which, events)
    drawn = (which, lang, tuple(str(x) for x in x_range), tuple(sorted(category_names.items())))
    return shown.copy(deep=False), _event_marks(drawn, shown, category_names, x_range)


@cache.shared(max_entries=64)
def _events_shown(which: tuple, _events: pd.DataFrame) -> pd.DataFrame:
    _events_key, series_ids, cats, highlight = which
    return explore_series.events_to_show(_events, series_ids, cats, highlight)


@cache.shared(max_entries=64)
def _event_marks(drawn: tuple, _shown: pd.DataFrame, _names: dict[str, str], _x_range: tuple) -> list[dict]:
    (_events_key, _series_ids, _cats, highlight), lang, *_ = drawn
    return explore_figure.explore_event_marks(_shown, lang, _x_range, _names, {highlight} if highlight else None)
