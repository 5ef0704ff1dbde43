"""Pure figure builders: tidy frames and events in, a Plotly figure out. No Streamlit here.

Events are drawn as traces, not shapes, so that a click on a category in the legend hides
its lines, bands and labels together, and so that each marker carries hover text (title,
date, quote). Labels are stacked in lanes so neighbours do not overlap.

Speed: Plotly validates every property it is given, and ``update_layout``/``add_trace`` on a
figure that already has traces cost several times more than building the same figure at once.
``timeseries_figure`` therefore builds plain dicts (``line_trace_dicts``, ``event_parts``,
``base_layout_parts``, ``legend_parts``, merged with ``merge_layout``) and makes one
``go.Figure(data=..., layout=...)``; a page with its own figure can do the same. ``base_layout``,
``add_events``, ``fit_legend`` and ``line_traces`` apply the same parts to an existing figure.
Build a figure once per input (cache it, e.g. ``st.cache_resource`` keyed on the page's state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .i18n import number, plotly_separators
from .transforms import split_for_log

# Okabe & Ito (2008): distinguishable with every common form of colour blindness.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# Paul Tol's "muted" scheme for event categories, kept apart from the series colours.
CATEGORY_COLOURS = {
    "politics": "#332288",
    "oil": "#117733",
    "economy": "#882255",
    "sanctions": "#CC6677",
    "migration": "#44AA99",
    "social": "#999933",
    "communes": "#997700",
    "labour": "#AA4499",
    "security": "#3F7F9F",
    "context": "#888888",
}
CONTEXT_NOTE = {
    "en": "Context added by the dashboard, not from the two documents",
    "es": "Contexto añadido por el tablero, no de los dos documentos",
}
FONT = "Inter, 'DejaVu Sans', Arial, sans-serif"
EVENT_AXIS = "y99"  # a hidden 0..1 axis over the whole plot, for event lines, bands and labels
LABEL_LANES = 4
MAX_LABEL_CHARS = 28
LEGEND_CHARS = 42  # about 330 px at the 13-px legend font: fits a 390-px phone beside its line sample


@dataclass
class Line:
    """One line to draw: a country's series, its legend name and optional status (projection dashed)."""

    frame: pd.DataFrame
    name: str
    colour: str | None = None
    hover_unit: str = ""
    panel: int = 1
    secondary_y: bool = False


@dataclass
class ChartText:
    """The words a chart needs, already in the reader's language."""

    title: str = ""
    y_title: str = ""
    source: str = ""
    projection: str = "projection"
    left_out: str = "{n} value(s) ≤ 0 not shown on the log scale, e.g. {value} on {date:%Y-%m-%d}"
    y_titles: dict[int, str] = field(default_factory=dict)


def base_layout(fig: go.Figure, text: ChartText, height: int, font_size: int = 14, plot_px: int = 900) -> go.Figure:
    """Fonts, margins, legend and the source line every chart carries."""
    layout, x_style, y_style, annotations = base_layout_parts(text, height, font_size, plot_px)
    fig.update_layout(layout)
    fig.update_xaxes(x_style)
    fig.update_yaxes(y_style)
    for annotation in annotations:
        fig.add_annotation(annotation)
    return fig


def base_layout_parts(text: ChartText, height: int, font_size: int, plot_px: int) -> tuple[dict, dict, dict, list]:
    """``base_layout`` as plain dicts: (layout, style of every x axis, of every y axis, annotations)."""
    layout = {
        "title": {"text": text.title, "x": 0, "xanchor": "left", "font": {"size": font_size + 4}},
        "font": {"family": FONT, "size": font_size, "color": "#222"},
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 100 if text.title else 60, "b": 50},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "font": {"size": font_size - 1}},
        "hoverlabel": {"font": {"size": font_size}, "namelength": -1},
    }
    x_style = {"showgrid": True, "gridcolor": "#eee", "linecolor": "#888", "ticks": "outside"}
    y_style = {
        "showgrid": True,
        "gridcolor": "#eee",
        "linecolor": "#888",
        "zeroline": True,
        "zerolinecolor": "#bbb",
        "automargin": True,
        "title": {"standoff": 8},
    }
    annotations = []
    if text.source:
        source_lines = wrap_text(text.source, max(40, int(plot_px / (0.6 * max(10, font_size - 3)))))
        layout["margin"]["b"] = 50 + 14 * len(source_lines)
        annotations.append(
            {
                "text": "<br>".join(_escape(line) for line in source_lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -44 - 14 * len(source_lines),
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "align": "left",
                "font": {"size": max(10, font_size - 3), "color": "#555"},
            }
        )
    return layout, x_style, y_style, annotations


def line_traces(line: Line, colour: str, log: bool, projection_label: str) -> tuple[list[go.Scatter], pd.DataFrame]:
    """Solid traces for actuals, dashed for projections (joined at the last actual); and the rows left out."""
    traces, dropped = line_trace_dicts(line, colour, log, projection_label)
    return [go.Scatter(trace) for trace in traces], dropped


def line_trace_dicts(line: Line, colour: str, log: bool, projection_label: str) -> tuple[list[dict], pd.DataFrame]:
    """``line_traces`` as plain dicts (x and y as the arrays Plotly's validation would make of the columns).

    Works on the columns' arrays: a chart of many countries draws many lines, and each pandas selection of
    a frame costs a fraction of a millisecond.
    """
    frame = line.frame
    dates = frame["date"].to_numpy()
    if len(dates) > 1 and not (dates[1:] > dates[:-1]).all():  # not already in date order
        frame = frame.sort_values("date")
        dates = frame["date"].to_numpy()
    values = frame["value"].to_numpy()
    dropped = frame.iloc[0:0]
    if log:
        positive = values > 0
        if not positive.all():
            frame, dropped = split_for_log(frame)
            dates, values = dates[positive], values[positive]
    hover = "%{x|%Y-%m-%d}<br>%{y:,.4~g}" + (f" {line.hover_unit}" if line.hover_unit else "")
    common = {"type": "scatter", "mode": "lines", "legendgroup": line.name, "line": {"color": colour, "width": 2.5}}
    status = frame["status"].to_numpy() if "status" in frame.columns else None
    is_projection = status == "projection" if status is not None else None
    if is_projection is not None and is_projection.any():
        actual_dates, actual_values = dates[~is_projection], values[~is_projection]
    else:
        actual_dates, actual_values = dates, values
    traces = [
        {
            "x": actual_dates,
            "y": actual_values,
            "name": legend_name(line.name),
            "hovertemplate": hover + f"<extra>{line.name}</extra>",
            **common,
        }
    ]
    if is_projection is not None and is_projection.any():
        # Joined to the last actual value, dashed.
        traces.append(
            {
                "x": np.concatenate([actual_dates[-1:], dates[is_projection]]),
                "y": np.concatenate([actual_values[-1:], values[is_projection]]),
                "name": legend_name(f"{line.name} ({projection_label})"),
                "hovertemplate": hover + f" ({projection_label})<extra>{line.name}</extra>",
                **(common | {"line": {"color": colour, "width": 2.5, "dash": "dash"}}),
            }
        )
    return traces, dropped


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
        width = (len(title) * 0.6 * font_px + 18) / plot_px
        leftwards = x + width > 1.0
        left_edge, right_edge = (x - width, x) if leftwards else (x, x + width)
        lane = next((i for i, end in enumerate(lane_ends) if left_edge >= end), -1)
        if lane >= 0:
            lane_ends[lane] = right_edge + 4 / plot_px
        placed.append((lane, leftwards))
    return placed


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
    if "ongoing" in events.columns:
        ends = ends.mask(events["ongoing"].fillna(False).astype(bool), x_range[1])
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
    placed = label_lanes([max(row.start, x_range[0]) for row in visible], titles, x_range, plot_px, font_size)
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
        label_y = [0.97 - 0.075 * max(placed[i][0], 0) for i in idx]
        texts = [_escape(titles[i]) if placed[i][0] >= 0 else "" for i in idx]
        label_positions = ["middle left" if placed[i][1] else "middle right" for i in idx]
        hover = [_event_hover(row, lang) for row in rows]
        traces.append(
            dict(
                type="scatter",
                x=[max(row.start, x_range[0]) for row in rows],
                y=label_y,
                yaxis=EVENT_AXIS,
                mode="markers+text",
                text=texts,
                textposition=label_positions,
                textfont={"size": font_size, "color": [colour if s else "#bbb" for s in strong]},
                marker={
                    "symbol": "diamond",
                    "size": 9,
                    "color": colour,
                    "opacity": [1.0 if s else 0.3 for s in strong],
                },
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                name=name,
                legendgroup=f"ev-{category}",
                legendgrouptitle=None,
                showlegend=True,
                cliponaxis=False,
            )
        )
    return traces, layout


def timeseries_figure(
    lines: list[Line],
    events: pd.DataFrame | None,
    text: ChartText,
    lang: str = "en",
    log: bool = False,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    category_names: dict[str, str] | None = None,
    highlight: set[str] | None = None,
    height: int = 460,
    font_size: int = 14,
    plot_px: int = 900,
) -> go.Figure:
    """One chart of one or more lines on a shared time axis, with events marked.

    On a log axis, zero and negative values are left out and the chart says so.
    """
    # Built as plain dicts and made a Figure once: Plotly's update_layout on a figure costs several times more.
    traces: list[dict] = []
    dropped_all = []
    for i, line in enumerate(lines):
        colour = line.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        line_dicts, dropped = line_trace_dicts(line, colour, log, text.projection)
        traces += line_dicts
        dropped_all.append(dropped)
    data_dates = pd.concat([line.frame["date"] for line in lines]) if lines else pd.Series(dtype="datetime64[ns]")
    if x_range is None and not data_dates.empty:
        x_range = (data_dates.min(), data_dates.max())
    layout, x_style, y_style, annotations = base_layout_parts(text, height, font_size, plot_px)
    layout["separators"] = plotly_separators(lang)
    layout["yaxis"] = merge_layout(y_style, {"title": {"text": text.y_title}, "type": "log" if log else "linear"})
    layout["xaxis"] = merge_layout(x_style, {"range": [x_range[0], x_range[1]]}) if x_range else x_style
    dropped = pd.concat(dropped_all) if dropped_all else pd.DataFrame()
    if log and not dropped.empty:
        worst = dropped.loc[dropped["value"].idxmin()]
        annotations.append(
            {
                "text": "⚠ "
                + text.left_out.format(n=len(dropped), value=number(worst["value"], lang, 2), date=worst["date"]),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": max(10, font_size - 2), "color": "#A03000"},
            }
        )
    layout["annotations"] = annotations
    if events is not None and x_range is not None and not events.empty:
        event_traces, event_layout = event_parts(
            events, lang, x_range, category_names, highlight, max(10, font_size - 2), plot_px
        )
        traces += event_traces
        layout.update(event_layout)
    names = [t.get("name") for t in traces if t.get("showlegend") is not False and t.get("name")]
    layout = merge_layout(layout, legend_parts(names, text, font_size, plot_px))
    return go.Figure(data=traces, layout=layout)


def fit_legend(fig: go.Figure, text: ChartText, font_size: int, plot_px: int) -> go.Figure:
    """Room at the top for the title and however many rows the horizontal legend will wrap to."""
    names = [trace.name for trace in fig.data if trace.showlegend is not False and trace.name]
    fig.update_layout(legend_parts(names, text, font_size, plot_px))
    return fig


def legend_parts(names: list[str], text: ChartText, font_size: int, plot_px: int) -> dict:
    """Top margin for the title and a horizontal legend of these entries (wrapped ones are taller)."""
    row_px, line_px = int(font_size * 1.9), int(font_size * 1.25)
    legend_px, used, tallest = 0, 0.0, 0
    for name in names:
        lines = name.split("<br>")
        width = max(len(line) for line in lines) * 0.65 * (font_size - 1) + 40
        # The legend spans the plot area, which is narrower than the figure by its margins and axis labels.
        if used + width > plot_px * 0.8 and used > 0:
            legend_px += row_px + (tallest - 1) * line_px
            used, tallest = 0.0, 0
        used += width
        tallest = max(tallest, len(lines))
    if names:
        legend_px += row_px + (tallest - 1) * line_px
    title_px = int((font_size + 4) * 2) if text.title else 10
    return {
        "margin": {"t": title_px + legend_px + 10},
        "title": {"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 8}},
    }


def merge_layout(base: dict, update: dict) -> dict:
    """``base`` updated with ``update`` the way Plotly's update_layout does: nested dicts merge, the rest replaces."""
    out = dict(base)
    for key, value in update.items():
        both_dicts = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = merge_layout(out[key], value) if both_dicts else value
    return out


def _short(title: str) -> str:
    return title if len(title) <= MAX_LABEL_CHARS else title[: MAX_LABEL_CHARS - 1] + "…"


def _event_hover(row, lang: str) -> str:
    """Hover text: title, date(s), the document's quote and file name. Plotly renders this as text."""
    when = f"{row.start:%Y-%m-%d}" + (f" – {row.end:%Y-%m-%d}" if pd.notna(row.end) and row.end > row.start else "")
    title = _escape(getattr(row, f"title_{lang}"))
    quote = _escape(row.quote) if isinstance(row.quote, str) else ""
    source = _escape(row.document) if isinstance(row.document, str) else ""
    wrapped = "<br>".join(wrap_text(f"“{quote}”", 60)) if quote else ""
    context = CONTEXT_NOTE[lang] if getattr(row, "kind", "document") == "context" else ""
    return (
        f"<b>{title}</b><br>{when}"
        + (f"<br><i>{wrapped}</i><br>— {source}" if quote else "")
        + (f"<br>{context}" if context else "")
    )


def _escape(text: str) -> str:
    """Plotly hover text accepts a little HTML; data text must stay text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def legend_name(name: str, width: int = LEGEND_CHARS) -> str:
    """A legend entry broken over lines at spaces, since Plotly cuts a long one off at a phone's edge.

    >>> legend_name("Inflation, average consumer prices (IMF) (projection)")
    'Inflation, average consumer prices (IMF)<br>(projection)'
    """
    return "<br>".join(wrap_text(name, width))


def wrap_text(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` characters at spaces."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])
