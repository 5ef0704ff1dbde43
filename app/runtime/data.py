"""Cached reads of the committed snapshots and catalogues, for the pages. No network, ever.

Each reader is cached once per process (snapshots change only with a refresh, which restarts
nothing: the cache key includes the snapshot's sha256 from the sidecar).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import yaml

import loaders
from app.views import publishers
from loaders import events as event_catalogue
from loaders import metadata
from loaders.errors import LoaderError

# How often objects frozen by ``keep_long_lived_frozen`` are thawed, so that the next full collection reclaims
# those that have died since (an evicted cached figure, a closed session, another run's leftovers).
THAW_EVERY_S = 10.0
_last_thaw = 0.0
_collected_since_thaw = True


def _freeze_long_lived_objects() -> None:
    """Make Streamlit's full garbage collection after every script run (``runner.postScriptGC``) cheap.

    With Streamlit, pandas and Plotly loaded, that collection walks some 150,000 long-lived objects
    (modules, classes, validators) and cost 40-70 ms per rerun on the benchmark machine, more than most
    pages' own work. ``gc.freeze()`` moves the objects that exist now into a permanent generation the
    collector skips; everything made later (frames, figures, sessions) is collected as before (and
    objects without reference cycles are freed by reference counting in any case).
    Runs when the first page imports this module; ``keep_long_lived_frozen`` keeps it up. See ``bench/``.
    """
    global _last_thaw
    go.Figure(go.Scatter(x=[0], y=[0]), layout={"title": {"text": ""}})  # load Plotly's lazily imported classes
    gc.collect()
    gc.freeze()
    _last_thaw = time.monotonic()
    gc.callbacks.append(_note_full_collection)


def _note_full_collection(phase: str, info: dict) -> None:
    global _collected_since_thaw
    if phase == "stop" and info.get("generation") == 2:
        _collected_since_thaw = True


def keep_long_lived_frozen() -> None:
    """Freeze again at the start of every script run (``ui.language_selector``, which dashboard.py runs first).

    What exists when a run starts has outlived a run: pages' imports, the shared caches (``app.runtime.cache``:
    figures, frames), sessions and their widgets. Left in the collector's oldest generation, each of them
    would be walked by the full collection after every run of every session: with a class of thirty on
    Explore that grew to 80,000 objects and 30 ms of CPU per run, a third of the server's time. Frozen,
    the collection after a run walks what that run made (freezing itself is cheap: it moves a list).

    Objects that die while frozen (an evicted cache entry, part of a run still going in another session)
    are freed by reference counting as usual; those in reference cycles wait for the next thaw: every
    ``THAW_EVERY_S`` everything is unfrozen until one full collection (the one after some run) has walked
    it all and freed them, then runs freeze again.
    """
    global _last_thaw, _collected_since_thaw
    if not _collected_since_thaw:
        return  # thawed, and no full collection since
    now = time.monotonic()
    if now - _last_thaw >= THAW_EVERY_S:
        gc.unfreeze()
        _last_thaw = now
        _collected_since_thaw = False
    else:
        gc.freeze()


_freeze_long_lived_objects()


_data_seen: tuple | None = None


def _data_stamp() -> tuple:
    """When the hand-written metadata and the snapshots last changed (a handful of stat calls, ~50 µs)."""
    root = metadata.DATA_DIR
    # The store and `loaders add` replace files by renaming, which changes their folder's mtime too.
    paths = [root / "catalog.yaml", root / "events.yaml", root / "claims.yaml", root / "snapshots", root / "stories"]
    stories = root / "stories"
    if stories.is_dir():
        paths += sorted(stories.iterdir())
    stamp = []
    for path in paths:
        try:
            info = path.stat()
            stamp.append((path.name, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((path.name, None, None))
    return tuple(stamp)


def forget_if_data_changed() -> bool:
    """Drop every cached frame and figure when the data folder changed since the last run; True if it did.

    So a ``python -m loaders refresh`` or ``add``, or an edit to events.yaml, shows on the next page load
    without restarting the dashboard. ui.language_selector calls it at the start of every run.
    """
    global _data_seen
    stamp = _data_stamp()
    if stamp == _data_seen:
        return False
    first = _data_seen is None
    _data_seen = stamp
    if not first:
        st.cache_resource.clear()
        st.cache_data.clear()
    return not first


# Frames are cached once per process and shared by every session (st.cache_resource): a reader gets a shallow
# copy, which pandas' copy-on-write keeps from ever changing the cached frame, for microseconds instead of the
# milliseconds st.cache_data spends unpickling a fresh frame on every call (pages call these many times a run).


def series_catalog() -> pd.DataFrame:
    """Every series with metadata and provenance (``loaders.catalog()``)."""
    return _series_catalog().copy(deep=False)


@st.cache_resource(show_spinner=False)
def _series_catalog() -> pd.DataFrame:
    return loaders.catalog()


def snapshot_sha256s() -> Mapping[str, str]:
    """Each series' snapshot sha256 (from its sidecar, as the catalogue has it), by id: the key of what is cached."""
    return _snapshot_sha256s()


@st.cache_resource(show_spinner=False)
def _snapshot_sha256s() -> Mapping[str, str]:
    cat = _series_catalog()
    return MappingProxyType({sid: str(sha) for sid, sha in zip(cat.index, cat["sha256"], strict=True)})


@st.cache_resource(show_spinner=False, max_entries=256)
def _series(series_id: str, sha256: str) -> pd.DataFrame:
    return loaders.load(series_id)


def series(series_id: str) -> pd.DataFrame:
    """One series' snapshot; raises LoaderError with a readable message when it cannot be read."""
    cat = _series_catalog()
    if series_id not in cat.index:
        raise LoaderError(f"unknown series id {series_id!r}")
    try:
        return _series(series_id, cat.loc[series_id, "sha256"]).copy(deep=False)
    except (OSError, ValueError) as e:
        raise LoaderError(f"{series_id}: the snapshot could not be read ({e})") from e


def try_series(series_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """(frame, None) or (None, the reason), so a page can say plainly what it could not load."""
    try:
        return series(series_id), None
    except LoaderError as e:
        return None, str(e)


def events() -> pd.DataFrame:
    return _events().copy(deep=False)


@st.cache_resource(show_spinner=False)
def _events() -> pd.DataFrame:
    """An unreadable events file gives no events (``attrs['error']`` says why) rather than no dashboard."""
    try:
        return event_catalogue.load_events()
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as e:
        empty = event_catalogue.event_frame([])
        empty.attrs["error"] = f"data/events.yaml could not be read ({type(e).__name__}: {str(e)[:200]})"
        return empty


@st.cache_data(show_spinner=False)
def event_categories() -> dict[str, dict[str, str]]:
    return event_catalogue.categories()


@st.cache_data(show_spinner=False)
def documents() -> dict[str, dict[str, dict[str, str]]]:
    """The source documents by file name, each with its ``label`` and ``description`` in both languages."""
    return event_catalogue.documents()


def claims() -> pd.DataFrame:
    return _claims().copy(deep=False)


@st.cache_resource(show_spinner=False)
def _claims() -> pd.DataFrame:
    return event_catalogue.load_claims()


def events_for(series_ids: list[str] | set[str], categories: list[str] | None = None) -> pd.DataFrame:
    """The events that bear on any of these series (and, if given, are in these categories)."""
    wanted = frozenset(series_ids)
    return _events_for(wanted, None if categories is None else tuple(categories)).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=512)
def _events_for(wanted: frozenset[str], categories: tuple[str, ...] | None) -> pd.DataFrame:
    frame = _events()
    mask = frame["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    if categories is not None:
        mask &= frame["category"].isin(categories)
    return frame[mask]


def source_line(series_ids: list[str], lang: str) -> str:
    """'Source: edition – code – licence' for each series, joined (``app.views.publishers.source_line``)."""
    return _source_line(tuple(dict.fromkeys(series_ids)), lang)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _source_line(series_ids: tuple[str, ...], lang: str) -> str:
    return publishers.source_line(_series_catalog(), list(series_ids), lang)
