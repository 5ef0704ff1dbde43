"""Pure figure builders: tidy frames and events in, a Plotly figure out. No Streamlit here.

The events layer (lines, bands, labelled markers) is ``app.charts.event_marks``; this module holds the
series' lines and statuses, the layout, the legend and ``timeseries_figure``, which puts them together.

Speed: Plotly validates every property it is given, and ``update_layout``/``add_trace`` on a
figure that already has traces cost several times more than building the same figure at once.
``timeseries_figure`` therefore builds plain dicts (``line_trace_dicts``, ``event_marks.event_parts``,
``base_layout_parts``, ``legend_parts``, merged with ``merge_layout``) and makes one
``go.Figure(data=..., layout=...)``; a page with its own figure can do the same. ``base_layout``,
``event_marks.add_events`` and ``fit_legend`` apply the same parts to an existing figure.
Build a figure once per input: pages share it between sessions with ``app.runtime.cache.build_shared``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.charts.event_marks import event_parts
from app.i18n import COMMON, number, plotly_separators, significant
from app.text import escape_plotly, wrap_text
from app.transforms import missing_periods, split_for_log

# Okabe & Ito (2008): distinguishable with every common form of colour blindness.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FONT = "Inter, 'DejaVu Sans', Arial, sans-serif"
LONE_MARKER = 7  # px: a value between two gaps
# Event labels and the source line are laid out for a plot this wide (pixels): a phone's. On a wide
# screen the source line wraps early; on a phone nothing is cut off.
PHONE_SAFE_PX = 290
LEGEND_CHARS = 42  # about 330 px at the 13-px legend font: fits a 390-px phone beside its line sample
# How each status is drawn: actual solid; an estimate (a past year the publisher has not yet reported) dotted
# with open circles; a projection dashed; a provisional figure (to be revised) solid to an open diamond.
STATUS_STYLE = {
    "actual": {"dash": "solid", "symbol": "circle", "marker_size": 0},
    "estimate": {"dash": "dot", "symbol": "circle-open", "marker_size": 7},
    "projection": {"dash": "dash", "symbol": "circle", "marker_size": 0},
    "provisional": {"dash": "dot", "symbol": "diamond-open", "marker_size": 11},
}


@dataclass
class Line:
    """One line to draw: a country's series (with an optional ``status`` column), its legend name, and how to
    place and name its dates: ``frequency`` (inferred from the dates when None) and the catalog's ``period``
    (average, end_of_period or flow; None draws each value on its stored date)."""

    frame: pd.DataFrame
    name: str
    colour: str | None = None
    hover_unit: str = ""
    frequency: str | None = None
    period: str | None = None


@dataclass
class ChartText:
    """The words a chart needs, already in the reader's language."""

    title: str = ""
    y_title: str = ""
    source: str = ""
    left_out: str = "{n} value(s) ≤ 0 not shown on the log scale, e.g. {value} on {date:%Y-%m-%d}"


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
        "title": {"text": escape_plotly(text.title), "x": 0, "xanchor": "left", "font": {"size": font_size + 4}},
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
                "text": "<br>".join(escape_plotly(line) for line in source_lines),
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


def status_names(lang: str) -> dict[str, str]:
    """Each status in the reader's language ("actual" reads as "current" in Spanish: "dato observado")."""
    return {status: COMMON[f"status_{status}"].get(lang) or COMMON[f"status_{status}"]["en"] for status in STATUS_STYLE}


def status_key_traces(statuses: set[str], lang: str) -> list[dict]:
    """Legend-only entries, in grey, naming how each status other than actual is drawn: for a chart that keeps
    its legend short by listing each line once."""
    names = status_names(lang)
    traces = []
    for status, style in STATUS_STYLE.items():
        if status == "actual" or status not in statuses:
            continue
        trace = {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "name": names[status],
            "mode": "lines+markers" if style["marker_size"] else "lines",
            "line": {"color": "#555", "width": 2.5, "dash": style["dash"]},
            "hoverinfo": "skip",
            "legendgroup": f"status-{status}",
        }
        if style["marker_size"]:
            trace["marker"] = {"symbol": style["symbol"], "size": style["marker_size"], "color": "#555"}
        traces.append(trace)
    return traces


def hover_texts(
    dates: np.ndarray, values: np.ndarray, statuses: np.ndarray, line: Line, frequency: str, lang: str
) -> np.ndarray:
    """Per point: (the date in words, the value with its unit and, if the series has them, its status), for
    ``customdata``. Written in Python because Plotly's own formats use English month names and exponents (6.537e+4).
    """
    names = status_names(lang) if "status" in line.frame.columns else {}
    unit = f" {escape_plotly(line.hover_unit)}" if line.hover_unit else ""
    rows = [
        (
            periods.when(pd.Timestamp(d), frequency, line.period, lang, s),
            f"{significant(float(v), lang)}{unit}" + (f" ({names.get(s) or s})" if names else ""),
        )
        for d, v, s in zip(dates, values, statuses, strict=True)
    ]
    return np.array(rows, dtype=object).reshape(len(rows), 2)


def line_trace_dicts(line: Line, colour: str, log: bool, lang: str = "en") -> tuple[list[dict], pd.DataFrame]:
    """One trace per status (actual solid, estimate dotted, projection dashed, provisional open markers) as
    plain dicts (x and y as the arrays Plotly's validation would make of the columns), and the rows left out.

    Each value is drawn where its period puts it (``periods.positions``) and hovers its date in words and its
    status. A run of estimates, projections or provisional values starts from the value before it, so the line
    continues in the run's style.

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
    statuses = frame["status"].to_numpy(dtype=object) if "status" in frame.columns else np.full(len(dates), "actual")
    statuses = np.where(statuses == "", "actual", statuses)
    frequency = line.frequency or periods.infer_frequency(dates)
    x = periods.positions(dates, frequency, line.period, statuses)
    custom = hover_texts(dates, values, statuses, line, frequency, lang)
    hover = f"%{{customdata[0]}}<br>%{{customdata[1]}}<extra>{escape_plotly(line.name)}</extra>"
    names = status_names(lang)
    traces = []
    for status, style in STATUS_STYLE.items():
        mine = statuses == status
        if status == "actual":
            mine = ~np.isin(statuses, [s for s in STATUS_STYLE if s != "actual"])
        if not mine.any():
            continue
        # Each run of this status, with the value just before it (drawn without a marker) to join the line.
        keep = mine.copy()
        joins = np.flatnonzero(mine[1:] & ~mine[:-1])  # the value before each run
        if status != "actual":
            keep[joins] = True
        index = np.flatnonzero(keep)
        # Break the line between runs that are not neighbours, and where whole periods have no value: a gap
        # is drawn as a gap, never bridged.
        gaps = np.flatnonzero((np.diff(index) > 1) | missing_periods(dates[index], frequency)) + 1
        xs = np.split(x[index], gaps)
        ys = np.split(values[index].astype(float), gaps)
        cds = np.split(custom[index], gaps)
        sizes = np.split(np.where(mine[index], style["marker_size"], 0), gaps)
        # A value with no neighbour has no line to show it: give it a marker.
        lone = [len(part) == 1 and own[0] for part, own in zip(sizes, np.split(mine[index], gaps), strict=True)]
        sizes = [np.maximum(part, LONE_MARKER) if alone else part for part, alone in zip(sizes, lone, strict=True)]
        markers = bool(style["marker_size"]) or any(lone)
        none_row = np.array([[None, None]], dtype=object)
        trace_x = np.concatenate([np.append(part, part[-1]) for part in xs])[:-1]  # the gap is the NaN in y
        trace_y = np.concatenate([np.append(part, np.nan) for part in ys])[:-1]
        trace_cd = np.concatenate([np.vstack([part, none_row]) for part in cds])[:-1]
        trace_sizes = np.concatenate([np.append(part, 0) for part in sizes])[:-1]
        label = line.name if status == "actual" else f"{line.name} ({names[status]})"
        trace = {
            "type": "scatter",
            "x": trace_x,
            "y": trace_y,
            "customdata": trace_cd,
            "mode": "lines+markers" if markers else "lines",
            "name": legend_name(label),
            "legendgroup": line.name,
            "hovertemplate": hover,
            "line": {"color": colour, "width": 2.5, "dash": style["dash"]},
            "meta": {"line": line.name, "unit": line.hover_unit, "status": status},  # for describe.py
        }
        if markers:
            trace["marker"] = {
                "symbol": style["symbol"],
                "size": trace_sizes,
                "color": colour,
                "line": {"color": colour, "width": 2},
            }
        traces.append(trace)
    return traces, dropped


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
        line_dicts, dropped = line_trace_dicts(line, colour, log, lang)
        traces += line_dicts
        dropped_all.append(dropped)
    drawn = [t["x"] for t in traces if len(t["x"])]
    if x_range is None and drawn:  # where the values are drawn, not the first days they are stored on
        x_range = (pd.Timestamp(min(x.min() for x in drawn)), pd.Timestamp(max(x.max() for x in drawn)))
    layout, x_style, y_style, annotations = base_layout_parts(text, height, font_size, plot_px)
    layout["separators"] = plotly_separators(lang)
    y_title = {"text": escape_plotly(text.y_title)}
    layout["yaxis"] = merge_layout(y_style, {"title": y_title, "type": "log" if log else "linear"})
    x_style = merge_layout(x_style, periods.axis_ticks(lang))
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


def phone_friendly(fig: go.Figure, text: ChartText, desktop_px: int = 900) -> None:
    """No title inside the figure (the page shows it above, where it wraps on any screen) and a top margin
    sized for the legend on a wide screen.

    On a phone Plotly wraps the horizontal legend to more rows and pushes the plot down to make room
    (automargin); a title inside the figure would then be overlapped, which is why it is outside.
    Event labels and the source line keep their layout for a phone-wide plot (``plot_px``).
    """
    fig.update_layout(title={"text": ""})
    fit_legend(fig, replace(text, title=""), 14, desktop_px)


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


def legend_name(name: str, width: int = LEGEND_CHARS) -> str:
    """A legend entry broken over lines at spaces, since Plotly cuts a long one off at a phone's edge.

    >>> legend_name("Inflation, average consumer prices (IMF) (projection)")
    'Inflation, average consumer prices (IMF)<br>(projection)'
    """
    return "<br>".join(escape_plotly(part) for part in wrap_text(name, width))
