"""The events layer of every time-series chart: vertical lines, bands and labelled markers for the events,
drawn as traces (not shapes) so that a click on a category in the legend hides its lines, bands and labels
together, and so that each marker carries hover text (title, date, quote). Labels are stacked in lanes so
neighbours do not overlap. Pure: no Streamlit here.

``event_parts`` gives the traces and layout as plain dicts (``figures.timeseries_figure`` merges them into
its one ``go.Figure``); ``add_events`` adds them to a figure already built.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.text import escape_plotly, wrap_text

# Paul Tol's "muted" scheme for event categories, kept apart from the series colours; the lighter ones darkened
# (same hue) so that each label reads at 4.5:1 or more on the white chart, as WCAG AA asks of text.
CATEGORY_COLOURS = {
    "politics": "#332288",
    "oil": "#117733",
    "economy": "#882255",
    "sanctions": "#B5475A",
    "migration": "#2A7B6F",
    "social": "#6B6B1B",
    "communes": "#8A6300",
    "labour": "#AA4499",
    "security": "#3A6E8C",
    "health": "#7A5A9E",
    "context": "#6E6E6E",
}
DIMMED_LABEL = "#767676"  # the label of an event a presenter step does not highlight: faded, still 4.5:1
CONTEXT_NOTE = {
    "en": "Context added by the dashboard, not from the two documents",
    "es": "Contexto añadido por el tablero, no de los dos documentos",
}
CLOSE_BY_NOTE = {
    "en": "Close by (zoom in to tell them apart):",
    "es": "Muy cerca (amplíe para distinguirlos):",
}
EVENT_AXIS = "y99"  # a hidden 0..1 axis over the whole plot, for event lines, bands and labels
LABEL_LANES = 4
# A lane's height as a share of the plot: about 18 px of a phone's 200-px plot, so that 12-px labels in
# neighbouring lanes do not touch.
LANE_STEP = 0.09
# Markers closer than a fingertip (about 24 px at the phone-wide plot the labels are laid out for) cannot be told
# apart by a tap: each one's hover also names the others.
TAP_PX = 24
# Characters per hover line: a phone's 390-px screen holds a hover of about 44 characters at 14 px.
HOVER_CHARS = 44
MAX_LABEL_CHARS = 28


def label_lanes(
    starts: list[pd.Timestamp],
    titles: list[str],
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    plot_px: int = 900,
    font_px: int = 12,
) -> list[tuple[int, bool]]:
    """(lane, text to the left?) per label so labels in one lane do not overlap; lane -1 when none is free.

    A label's width is estimated from its length as a share of the plot's width in pixels; labels in the
    right quarter of the plot run leftwards so they stay inside it.
    """
    span = max((x_range[1] - x_range[0]).days, 1)
    lane_ends: list[float] = [-1e9] * LABEL_LANES
    placed = []
    for start, title in zip(starts, titles, strict=True):
        x = (start - x_range[0]).days / span
        leftwards, (left_edge, right_edge) = _label_span(x, title, plot_px, font_px)
        lane = next((i for i, end in enumerate(lane_ends) if left_edge >= end), -1)
        if lane >= 0:
            lane_ends[lane] = right_edge + 4 / plot_px
        placed.append((lane, leftwards))
    return placed


def marker_lanes(
    starts: list[pd.Timestamp],
    titles: list[str],
    placed: list[tuple[int, bool]],
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    plot_px: int = 900,
    font_px: int = 12,
) -> list[int]:
    """The lane of each event's marker: a labelled one's own; an unlabelled one the first lane where no label
    runs over it (a lane below the labels when every lane's do), so that a marker never sits on another event's
    words."""
    span = max((x_range[1] - x_range[0]).days, 1)
    xs = [(start - x_range[0]).days / span for start in starts]
    covered: list[list[tuple[float, float]]] = [[] for _ in range(LABEL_LANES)]
    for x, title, (lane, _) in zip(xs, titles, placed, strict=True):
        if lane >= 0:
            covered[lane].append(_label_span(x, title, plot_px, font_px)[1])
    half_marker = 8 / plot_px
    lanes = []
    for x, (lane, _) in zip(xs, placed, strict=True):
        if lane < 0:
            free = (
                i
                for i, spans in enumerate(covered)
                if all(x + half_marker < a or x - half_marker > b for a, b in spans)
            )
            lane = next(free, LABEL_LANES)
        lanes.append(lane)
    return lanes


def _label_span(x: float, title: str, plot_px: int, font_px: int) -> tuple[bool, tuple[float, float]]:
    """(runs leftwards?, (left, right) edges as shares of the plot) of a label at ``x`` with its marker."""
    width = (len(title) * 0.6 * font_px + 18) / plot_px
    leftwards = x + width > 1.0
    return leftwards, ((x - width, x) if leftwards else (x, x + width))


def add_events(
    fig: go.Figure,
    events: pd.DataFrame,
    lang: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    category_names: dict[str, str] | None = None,
    highlight: set[str] | None = None,
    font_size: int = 12,
    plot_px: int = 900,
) -> go.Figure:
    """Mark events: a vertical line (point in time) or a shaded band (period), a label, hover text.

    ``events`` has columns id, start, end, category, title_<lang>, quote, document. With ``highlight``,
    those events are drawn strong and the others dimmed (presenter mode).
    """
    traces, layout = event_parts(events, lang, x_range, category_names, highlight, font_size, plot_px)
    if traces:
        fig.update_layout(layout)
        fig.add_traces(traces)  # in one call: Plotly re-validates the figure on every add_trace
    return fig


def event_parts(
    events: pd.DataFrame,
    lang: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    category_names: dict[str, str] | None,
    highlight: set[str] | None,
    font_size: int,
    plot_px: int,
) -> tuple[list[dict], dict]:
    """``add_events`` as plain data: (trace dicts, the layout of the hidden event axis).

    Works on plain lists of the few columns it needs: pandas selections and groupbys of the events' many
    (Arrow) text columns cost several milliseconds per chart.
    """
    if events.empty:
        return [], {}
    ends = events["end"]
    ongoing = events["ongoing"].fillna(False).astype(bool) if "ongoing" in events.columns else None
    if ongoing is not None:
        ends = ends.mask(ongoing, x_range[1])
    category = events["category"]
    if "kind" in events.columns:
        # Events added as context (not from the documents) are drawn apart, in grey, under their own legend entry.
        category = category.mask(events["kind"] == "context", "context")
    shown = ((events["start"] <= x_range[1]) & (ends.fillna(events["start"]) >= x_range[0])).to_numpy()
    positions = np.flatnonzero(shown)
    if not len(positions):
        return [], {}
    # The order DataFrame.sort_values("start") gives (the same quicksort on the same datetime64 values).
    positions = positions[events["start"].to_numpy()[positions].argsort(kind="quicksort")]
    columns = {
        "id": events["id"].tolist(),
        "start": events["start"].tolist(),
        "end": ends.tolist(),
        "category": category.tolist(),
        f"title_{lang}": events[f"title_{lang}"].tolist(),
        "quote": events["quote"].tolist(),
        "document": events["document"].tolist(),
        "kind": events["kind"].tolist() if "kind" in events.columns else ["document"] * len(events),
        "precision": events["precision"].tolist() if "precision" in events.columns else ["day"] * len(events),
        "ongoing": ongoing.tolist() if ongoing is not None else [False] * len(events),
    }
    visible = [SimpleNamespace(**{name: values[p] for name, values in columns.items()}) for p in positions]
    layout = {
        "yaxis99": {
            "domain": [0, 1],
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "anchor": "x",
            "overlaying": "y",
        }
    }
    titles = [_short(getattr(row, f"title_{lang}")) for row in visible]
    anchors = [max(row.start, x_range[0]) for row in visible]
    placed = label_lanes(anchors, titles, x_range, plot_px, font_size)
    lanes = marker_lanes(anchors, titles, placed, x_range, plot_px, font_size)
    close_by = _close_by(anchors, x_range, plot_px)
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(visible):
        groups.setdefault(row.category, []).append(i)
    traces = []
    for category, idx in groups.items():
        colour = CATEGORY_COLOURS.get(category, "#666")
        name = (category_names or {}).get(category, category)
        rows = [visible[i] for i in idx]
        strong = [highlight is None or row.id in highlight for row in rows]
        line_x, line_y, band_x, band_y = [], [], [], []
        for row in rows:
            if pd.notna(row.end) and row.end > row.start:
                band_x += [row.start, row.end, row.end, row.start, row.start, None]
                band_y += [0, 0, 1, 1, 0, None]
            else:
                line_x += [row.start, row.start, None]
                line_y += [0, 1, None]
        dim = 0.25 if highlight and not any(strong) else 1.0
        if band_x:
            traces.append(
                dict(
                    type="scatter",
                    x=band_x,
                    y=band_y,
                    yaxis=EVENT_AXIS,
                    fill="toself",
                    mode="none",
                    fillcolor=colour,
                    opacity=0.12 * dim,
                    hoverinfo="skip",
                    legendgroup=f"ev-{category}",
                    showlegend=False,
                )
            )
        if line_x:
            traces.append(
                dict(
                    type="scatter",
                    x=line_x,
                    y=line_y,
                    yaxis=EVENT_AXIS,
                    mode="lines",
                    hoverinfo="skip",
                    opacity=0.8 * dim,
                    line={"color": colour, "width": 1.5, "dash": "dot"},
                    legendgroup=f"ev-{category}",
                    showlegend=False,
                )
            )
        label_y = [0.97 - LANE_STEP * lanes[i] for i in idx]
        texts = [escape_plotly(titles[i]) if placed[i][0] >= 0 else "" for i in idx]
        label_positions = ["middle left" if placed[i][1] else "middle right" for i in idx]
        hover = [_event_hover(visible[i], lang, [visible[j] for j in close_by[i]]) for i in idx]
        traces.append(
            dict(
                type="scatter",
                x=[max(row.start, x_range[0]) for row in rows],
                y=label_y,
                yaxis=EVENT_AXIS,
                mode="markers+text",
                text=texts,
                textposition=label_positions,
                # A white halo keeps a label readable where it crosses a line or a band.
                textfont={
                    "size": font_size,
                    "color": [colour if s else DIMMED_LABEL for s in strong],
                    "shadow": "auto",
                },
                marker={
                    "symbol": "diamond",
                    "size": 9,
                    "color": colour,
                    "opacity": [1.0 if s else 0.3 for s in strong],
                },
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"events": [_event_meta(row, lang, highlight) for row in rows]},  # for describe.py
                name=escape_plotly(name),
                legendgroup=f"ev-{category}",
                legendgrouptitle=None,
                showlegend=True,
                cliponaxis=False,
            )
        )
    return traces, layout


def _short(title: str) -> str:
    return title if len(title) <= MAX_LABEL_CHARS else title[: MAX_LABEL_CHARS - 1] + "…"


def _event_meta(row, lang: str, highlight: set[str] | None) -> list:
    """[title, first day, last day or None, precision, highlighted?, still going on?]: what ``describe.py`` says
    of an event (an ongoing one is drawn to the edge of the chart, but has no last day)."""
    end = f"{row.end:%Y-%m-%d}" if pd.notna(row.end) and row.end > row.start and not row.ongoing else None
    strong = highlight is not None and row.id in highlight
    return [getattr(row, f"title_{lang}"), f"{row.start:%Y-%m-%d}", end, row.precision or "day", strong, row.ongoing]


def _close_by(anchors: list[pd.Timestamp], x_range: tuple[pd.Timestamp, pd.Timestamp], plot_px: int) -> list[list[int]]:
    """For each marker, the others less than a fingertip (``TAP_PX``) away along the plot ``plot_px`` wide."""
    span = max((x_range[1] - x_range[0]).days, 1)
    xs = [(anchor - x_range[0]).days / span * plot_px for anchor in anchors]
    return [[j for j, other in enumerate(xs) if j != i and abs(other - x) < TAP_PX] for i, x in enumerate(xs)]


def _when(row) -> str:
    return f"{row.start:%Y-%m-%d}" + (f" – {row.end:%Y-%m-%d}" if pd.notna(row.end) and row.end > row.start else "")


def _event_hover(row, lang: str, close_by: list | None = None) -> str:
    """Hover text: title, date(s), the document's quote and file name, and the events ``close_by`` (a finger
    cannot pick between them), in lines a phone's screen holds. Plotly renders this as text."""
    when = _when(row)
    title = escape_plotly(getattr(row, f"title_{lang}"))
    quote = escape_plotly(row.quote) if isinstance(row.quote, str) else ""
    cited = getattr(row, f"cited_{lang}", None)
    source = escape_plotly(cited if isinstance(cited, str) else row.document if isinstance(row.document, str) else "")
    wrapped = "<br>".join(wrap_text(f"“{quote}”", HOVER_CHARS)) if quote else ""
    context = ""
    if getattr(row, "kind", "document") == "context":
        why = getattr(row, f"why_{lang}", None)
        context = "<br>".join(
            [
                *wrap_text(CONTEXT_NOTE[lang], HOVER_CHARS),
                *(wrap_text(escape_plotly(why), HOVER_CHARS) if isinstance(why, str) else []),
            ]
        )
    others = [
        line
        for other in close_by or []
        for line in wrap_text(f"◆ {escape_plotly(getattr(other, f'title_{lang}'))} ({_when(other)})", HOVER_CHARS)
    ]
    return (
        "<br>".join(f"<b>{line}</b>" for line in wrap_text(title, HOVER_CHARS))
        + f"<br>{when}"
        + (f"<br><i>{wrapped}</i><br>" + "<br>".join(wrap_text(f"— {source}", HOVER_CHARS)) if quote else "")
        + (f"<br>{context}" if context else "")
        + ("<br>" + "<br>".join([CLOSE_BY_NOTE[lang], *others]) if others else "")
    )
