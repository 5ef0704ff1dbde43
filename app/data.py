"""Cached reads of the committed snapshots and catalogues, for the pages. No network, ever.

Each reader is cached once per process (snapshots change only with a refresh, which restarts
nothing: the cache key includes the snapshot's sha256 from the sidecar).
"""

from __future__ import annotations

import gc
import sys

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import yaml

import loaders
from loaders import events as event_catalogue
from loaders.errors import LoaderError

_frozen_with_modules = 0


def _freeze_long_lived_objects() -> None:
    """Make Streamlit's full garbage collection after every script run (``runner.postScriptGC``) cheap.

    With Streamlit, pandas and Plotly loaded, that collection walks some 150,000 long-lived objects
    (modules, classes, validators) and cost 40-70 ms per rerun on the benchmark machine, more than most
    pages' own work. ``gc.freeze()`` moves the objects that exist now into a permanent generation the
    collector skips; everything made later (frames, figures, sessions) is collected as before (and
    objects without reference cycles are freed by reference counting in any case).
    Runs when the first page imports this module, and again (``_keep_imports_frozen``) after a page has
    imported more modules (a page's own dependencies are imported on its first visit). See ``bench/``.
    """
    global _frozen_with_modules
    go.Figure(go.Scatter(x=[0], y=[0]), layout={"title": {"text": ""}})  # load Plotly's lazily imported classes
    gc.collect()
    gc.freeze()
    _frozen_with_modules = len(sys.modules)


def _keep_imports_frozen() -> None:
    """Freeze again if modules were imported since the last freeze (cheap: one length comparison)."""
    global _frozen_with_modules
    if len(sys.modules) != _frozen_with_modules:
        gc.freeze()
        _frozen_with_modules = len(sys.modules)


_freeze_long_lived_objects()


# Frames are cached once per process and shared by every session (st.cache_resource): a reader gets a shallow
# copy, which pandas' copy-on-write keeps from ever changing the cached frame, for microseconds instead of the
# milliseconds st.cache_data spends unpickling a fresh frame on every call (pages call these many times a run).


def series_catalog() -> pd.DataFrame:
    """Every series with metadata and provenance (``loaders.catalog()``)."""
    _keep_imports_frozen()
    return _series_catalog().copy(deep=False)


@st.cache_resource(show_spinner=False)
def _series_catalog() -> pd.DataFrame:
    return loaders.catalog()


@st.cache_resource(show_spinner=False, max_entries=256)
def _series(series_id: str, sha256: str) -> pd.DataFrame:
    return loaders.load(series_id)


def series(series_id: str) -> pd.DataFrame:
    """One series' snapshot; raises LoaderError with a readable message when it cannot be read."""
    _keep_imports_frozen()
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
    _keep_imports_frozen()
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
    """'Source: publisher (code), retrieved date, licence' for each series, joined."""
    _keep_imports_frozen()
    return _source_line(tuple(dict.fromkeys(series_ids)), lang)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _source_line(series_ids: tuple[str, ...], lang: str) -> str:
    cat = _series_catalog()
    word, retrieved = ("Source", "retrieved") if lang == "en" else ("Fuente", "consultado el")
    parts = []
    for sid in series_ids:
        row = cat.loc[sid]
        when = str(row["retrieved_at"])[:10] or "?"
        parts.append(f"{row['publisher']} ({row['code']}), {retrieved} {when}, {row['licence']}")
    return f"{word}: " + "; ".join(parts)
