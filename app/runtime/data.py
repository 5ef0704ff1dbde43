"""Cached reads of the committed snapshots and catalogues, for the pages. No network, ever.

Each reader is cached once per process and keyed by the data folder's version (``data_version``): a refresh,
which restarts nothing, or an edit to the catalog, events, claims or stories gives new keys, so the next page
load reads them again. A series' frame is keyed by its snapshot's sha256 from the sidecar.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd
import streamlit as st
import yaml

import loaders
from app import citations
from loaders import events as event_catalogue
from loaders import settings
from loaders.errors import LoaderError

_version: str | None = None


def _data_stamp() -> tuple:
    """When the hand-written metadata and the snapshots last changed (a handful of stat calls, ~50 µs)."""
    root = settings.data_dir()
    # The store and `loaders add` replace files by renaming, which changes their folder's mtime too.
    paths = [root / "catalog.yaml", root / "events.yaml", root / "claims.yaml", root / "snapshots", root / "stories"]
    stories = root / "stories"
    if stories.is_dir():
        paths += sorted(stories.iterdir())
    stamp: list[object] = [str(root)]
    for path in paths:
        try:
            info = path.stat()
            stamp.append((path.name, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((path.name, None, None))
    return tuple(stamp)


def note_data_version() -> None:
    """Look at the data folder once at the start of a run (dashboard.py): see ``data_version``."""
    global _version
    _version = hashlib.blake2b(repr(_data_stamp()).encode(), digest_size=8).hexdigest()


def data_version() -> str:
    """A short fingerprint of the data folder as the current run found it: part of every cache key here and of
    ``cache.snapshot_key``, so a ``python -m loaders refresh`` or ``add``, or an edit to the catalog, events,
    claims or stories, gives new keys and shows on the next page load without a restart or a cleared cache.
    What was cached for the old data is never asked for again and leaves as the caches fill up."""
    if _version is None:
        note_data_version()
    return _version  # type: ignore[return-value]


# Frames are cached once per process and shared by every session (st.cache_resource): a reader gets a shallow
# copy, which pandas' copy-on-write keeps from ever changing the cached frame, for microseconds instead of the
# milliseconds st.cache_data spends unpickling a fresh frame on every call (pages call these many times a run).


def series_catalog() -> pd.DataFrame:
    """Every series with metadata and provenance (``loaders.catalog()``)."""
    return _series_catalog(data_version()).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=2)
def _series_catalog(version: str) -> pd.DataFrame:
    return loaders.catalog()


def snapshot_sha256s() -> Mapping[str, str]:
    """Each series' snapshot sha256 (from its sidecar, as the catalogue has it), by id: the key of what is cached."""
    return _snapshot_sha256s(data_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def _snapshot_sha256s(version: str) -> Mapping[str, str]:
    cat = _series_catalog(version)
    return MappingProxyType({sid: str(sha) for sid, sha in zip(cat.index, cat["sha256"], strict=True)})


@st.cache_resource(show_spinner=False, max_entries=256)
def _series(series_id: str, sha256: str) -> pd.DataFrame:
    return loaders.load(series_id)


def series(series_id: str) -> pd.DataFrame:
    """One series' snapshot; raises LoaderError with a readable message when it cannot be read."""
    cat = _series_catalog(data_version())
    if series_id not in cat.index:
        raise LoaderError(f"unknown series id {series_id!r}")
    try:
        return _series(series_id, cat.loc[series_id, "sha256"]).copy(deep=False)
    except (OSError, ValueError) as e:
        raise LoaderError(f"{series_id}: the snapshot could not be read ({e})") from e


@dataclass(frozen=True)
class SeriesData:
    """One series as the pages pass it around: its id, its snapshot's frame and sha256, its catalog entry, and
    the data version it was read under. Shared builders (``cache.build_shared``) key it by id, sha256 and data
    version, never by hashing the frame."""

    id: str
    sha256: str
    version: str
    frame: pd.DataFrame = field(compare=False, repr=False)
    entry: pd.Series = field(compare=False, repr=False)

    def source_line(self, lang: str) -> str:
        """This series' line of ``citations.source_line``."""
        return source_line([self.id], lang)


def series_data(series_id: str) -> SeriesData:
    """One series with its catalog entry; raises LoaderError with a readable message when it cannot be read."""
    frame = series(series_id)  # raises for an unknown id or an unreadable snapshot
    version = data_version()
    entry = _series_catalog(version).loc[series_id]
    return SeriesData(series_id, str(entry["sha256"]), version, frame, entry)


def try_series(series_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """(frame, None) or (None, the reason), so a page can say plainly what it could not load."""
    try:
        return series(series_id), None
    except LoaderError as e:
        return None, str(e)


def events() -> pd.DataFrame:
    return _events(data_version()).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=2)
def _events(version: str) -> pd.DataFrame:
    """An unreadable events file gives no events (``attrs['error']`` says why) rather than no dashboard."""
    try:
        return event_catalogue.load_events()
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as e:
        empty = event_catalogue.event_frame([])
        empty.attrs["error"] = f"data/events.yaml could not be read ({type(e).__name__}: {str(e)[:200]})"
        return empty


def event_categories() -> dict[str, dict[str, str]]:
    return _event_categories(data_version())


@st.cache_data(show_spinner=False, max_entries=2)
def _event_categories(version: str) -> dict[str, dict[str, str]]:
    return event_catalogue.categories()


def documents() -> dict[str, dict[str, dict[str, str]]]:
    """The source documents by file name, each with its ``label`` and ``description`` in both languages."""
    return _documents(data_version())


@st.cache_data(show_spinner=False, max_entries=2)
def _documents(version: str) -> dict[str, dict[str, dict[str, str]]]:
    return event_catalogue.documents()


def claims() -> pd.DataFrame:
    return _claims(data_version()).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=2)
def _claims(version: str) -> pd.DataFrame:
    return event_catalogue.load_claims()


def events_for(series_ids: list[str] | set[str], categories: list[str] | None = None) -> pd.DataFrame:
    """The events that bear on any of these series (and, if given, are in these categories)."""
    wanted = frozenset(series_ids)
    return _events_for(data_version(), wanted, None if categories is None else tuple(categories)).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=512)
def _events_for(version: str, wanted: frozenset[str], categories: tuple[str, ...] | None) -> pd.DataFrame:
    frame = _events(version)
    mask = frame["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    if categories is not None:
        mask &= frame["category"].isin(categories)
    return frame[mask]


def source_line(series_ids: list[str], lang: str) -> str:
    """'Source: edition – code – licence' for each series, joined (``app.citations.source_line``)."""
    return _source_line(data_version(), tuple(dict.fromkeys(series_ids)), lang)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _source_line(version: str, series_ids: tuple[str, ...], lang: str) -> str:
    return citations.source_line(_series_catalog(version), list(series_ids), lang)
