"""Cached reads of the committed snapshots and catalogues, for the pages. No network, ever.

Each reader is cached once per process (snapshots change only with a refresh, which restarts
nothing: the cache key includes the snapshot's sha256 from the sidecar).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import loaders
from loaders import events as event_catalogue
from loaders.errors import LoaderError


@st.cache_data(show_spinner=False)
def series_catalog() -> pd.DataFrame:
    """Every series with metadata and provenance (``loaders.catalog()``)."""
    return loaders.catalog()


@st.cache_data(show_spinner=False)
def _series(series_id: str, sha256: str) -> pd.DataFrame:
    return loaders.load(series_id)


def series(series_id: str) -> pd.DataFrame:
    """One series' snapshot; raises LoaderError with a readable message when it cannot be read."""
    cat = series_catalog()
    if series_id not in cat.index:
        raise LoaderError(f"unknown series id {series_id!r}")
    try:
        return _series(series_id, cat.loc[series_id, "sha256"])
    except (OSError, ValueError) as e:
        raise LoaderError(f"{series_id}: the snapshot could not be read ({e})") from e


def try_series(series_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """(frame, None) or (None, the reason), so a page can say plainly what it could not load."""
    try:
        return series(series_id), None
    except LoaderError as e:
        return None, str(e)


@st.cache_data(show_spinner=False)
def events() -> pd.DataFrame:
    return event_catalogue.load_events()


@st.cache_data(show_spinner=False)
def event_categories() -> dict[str, dict[str, str]]:
    return event_catalogue.categories()


@st.cache_data(show_spinner=False)
def claims() -> pd.DataFrame:
    return event_catalogue.load_claims()


def events_for(series_ids: list[str] | set[str], categories: list[str] | None = None) -> pd.DataFrame:
    """The events that bear on any of these series (and, if given, are in these categories)."""
    frame = events()
    wanted = set(series_ids)
    mask = frame["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    if categories is not None:
        mask &= frame["category"].isin(categories)
    return frame[mask]


def source_line(series_ids: list[str], lang: str) -> str:
    """'Source: publisher (code), retrieved date, licence' for each series, joined."""
    cat = series_catalog()
    word, retrieved = ("Source", "retrieved") if lang == "en" else ("Fuente", "consultado el")
    parts = []
    for sid in dict.fromkeys(series_ids):
        row = cat.loc[sid]
        when = str(row["retrieved_at"])[:10] or "?"
        parts.append(f"{row['publisher']} ({row['code']}), {retrieved} {when}, {row['licence']}")
    return f"{word}: " + "; ".join(parts)
