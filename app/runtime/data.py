"""Reads of the committed snapshots and catalogues for the pages, shared by every session. No network, ever.

Each read is made once per data version (``cache.build_shared``): a refresh, which restarts nothing, or an edit
to the catalog, events, claims or stories gives new keys, so the next page load reads them again. A reader gets
a shallow copy of a shared frame, which pandas' copy-on-write keeps from ever changing the shared one, for
microseconds instead of the milliseconds unpickling a fresh frame would cost (pages call these many times a run).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd
import yaml

import loaders
from app import citations
from app.runtime import cache
from loaders import events as event_catalogue
from loaders.errors import LoaderError


def series_catalog() -> pd.DataFrame:
    """Every series with metadata and provenance (``loaders.catalog()``)."""
    return cache.shallow_copy(cache.build_shared(loaders.catalog))


def _read_series(series_id: str) -> pd.DataFrame:
    return loaders.load(series_id)


def series(series_id: str) -> pd.DataFrame:
    """One series' snapshot; raises LoaderError with a readable message when it cannot be read."""
    if series_id not in cache.build_shared(loaders.catalog).index:
        raise LoaderError(f"unknown series id {series_id!r}")
    try:
        return cache.shallow_copy(cache.build_shared(_read_series, series_id))
    except (OSError, ValueError) as e:
        raise LoaderError(f"{series_id}: the snapshot could not be read ({e})") from e


@dataclass(frozen=True)
class SeriesData:
    """One series as the pages pass it around: its id, its snapshot's frame and sha256, its catalog entry, and
    the data version it was read under. Shared builders key it by its ``cache_key``, never by hashing the frame."""

    id: str
    sha256: str
    version: str
    frame: pd.DataFrame = field(compare=False, repr=False)
    entry: pd.Series = field(compare=False, repr=False)

    def cache_key(self) -> tuple[str, str, str]:
        """What ``cache.build_shared`` keys this series by: its id, its snapshot's sha256 and the data version."""
        return self.id, self.sha256, self.version

    def source_line(self, lang: str) -> str:
        """This series' line of ``citations.source_line``."""
        return source_line([self.id], lang)


def series_data(series_id: str) -> SeriesData:
    """One series with its catalog entry; raises LoaderError with a readable message when it cannot be read."""
    frame = series(series_id)  # raises for an unknown id or an unreadable snapshot
    entry = cache.build_shared(loaders.catalog).loc[series_id]
    return SeriesData(series_id, str(entry["sha256"]), cache.data_version(), frame, entry)


def try_series_data(series_id: str) -> tuple[SeriesData | None, str | None]:
    """(series, None) or (None, the reason), so a page can say plainly what it could not load."""
    try:
        return series_data(series_id), None
    except LoaderError as e:
        return None, str(e)


def try_series(series_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """(frame, None) or (None, the reason), so a page can say plainly what it could not load."""
    try:
        return series(series_id), None
    except LoaderError as e:
        return None, str(e)


def events() -> pd.DataFrame:
    """Every event (``loaders.events.load_events``)."""
    return cache.shallow_copy(cache.build_shared(_read_events))


def _read_events() -> pd.DataFrame:
    """An unreadable events file gives no events (``attrs['error']`` says why) rather than no dashboard."""
    try:
        return event_catalogue.load_events()
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as e:
        empty = event_catalogue.event_frame([])
        empty.attrs["error"] = f"data/events.yaml could not be read ({type(e).__name__}: {str(e)[:200]})"
        return empty


def event_categories() -> dict[str, dict[str, str]]:
    """The event categories by key, each with its label in both languages."""
    return dict(cache.build_shared(event_catalogue.categories))


def documents() -> dict[str, dict[str, dict[str, str]]]:
    """The source documents by file name, each with its ``label`` and ``description`` in both languages."""
    return dict(cache.build_shared(event_catalogue.documents))


def claims() -> pd.DataFrame:
    """Every claim (``loaders.events.load_claims``)."""
    return cache.shallow_copy(cache.build_shared(event_catalogue.load_claims))


def events_for(series_ids: Collection[str], categories: Collection[str] | None = None) -> pd.DataFrame:
    """The events that bear on any of these series (and, if given, are in these categories)."""
    chosen = None if categories is None else tuple(categories)
    return cache.shallow_copy(cache.build_shared(_events_for, frozenset(series_ids), chosen))


def _events_for(wanted: frozenset[str], categories: tuple[str, ...] | None) -> pd.DataFrame:
    frame = cache.build_shared(_read_events)
    mask = frame["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    if categories is not None:
        mask &= frame["category"].isin(categories)
    return frame[mask]


def source_line(series_ids: Collection[str], lang: str, grouped: bool = False) -> str:
    """'Source: edition – code – licence' for each series, joined (``app.citations.source_line``); ``grouped``
    joins the codes of series that share an edition and licence."""
    return cache.build_shared(_source_line, tuple(dict.fromkeys(series_ids)), lang, grouped)


def _source_line(series_ids: tuple[str, ...], lang: str, grouped: bool) -> str:
    return citations.source_line(cache.build_shared(loaders.catalog), list(series_ids), lang, grouped=grouped)
