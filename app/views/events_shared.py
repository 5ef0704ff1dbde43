"""The Events page's sorted events and timeline, built once per input and shared by every session
(``app.runtime.cache``): show them, never modify them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.figures import ChartText
from app.runtime import cache
from app.views.events import chronological, timeline_figure


def shared_chronological(events: pd.DataFrame) -> pd.DataFrame:
    """``chronological(events)``, sorted once per content of the events."""
    return _shared_chronological(cache.frame_key(events), events).copy(deep=False)


@cache.shared(max_entries=8)
def _shared_chronological(events_key: str, _events: pd.DataFrame) -> pd.DataFrame:
    return chronological(_events)


def shared_timeline_figure(
    events: pd.DataFrame,
    lang: str,
    category_names: dict[str, str],
    text: ChartText,
    category_order: list[str],
    highlight: str | None = None,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    plot_px: int = 900,
) -> go.Figure:
    """``timeline_figure`` with these arguments, built once and shared by every session: show it, do not modify it."""
    key = (
        cache.frame_key(events),
        lang,
        tuple(sorted(category_names.items())),
        repr(text),
        tuple(category_order),
        highlight,
        None if x_range is None else tuple(str(x) for x in x_range),
        plot_px,
    )
    return _shared_timeline_figure(key, events, category_names, text, category_order, x_range)


@cache.shared(max_entries=64)
def _shared_timeline_figure(key: tuple, _events, _names, _text, _order, _x_range) -> go.Figure:
    _events_key, lang, _, _, _, highlight, _, plot_px = key
    return timeline_figure(_events, lang, _names, _text, _order, highlight=highlight, x_range=_x_range, plot_px=plot_px)
