"""Explore's figure: one panel per series, stacked or on two y-axes, with the events marked across
every panel."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.charts import event_marks, figures
from app.i18n import number
from app.text import escape_plotly, wrap_text
from loaders.metadata import country_name


@dataclass
class Panel:
    """One series: its title, what its numbers are (unit, transform) and the (thinned) frame to draw."""

    series_id: str
    title: str
    unit: str
    frame: pd.DataFrame
    frequency: str | None = None  # as drawn (after averaging); None: read from the dates
    period: str | None = None  # the catalog's average / end_of_period / flow; None: each value on its date


def _country_colours(panels: list[Panel], order: Collection[str]) -> dict[str, str]:
    countries = list(dict.fromkeys(list(order) + [c for p in panels for c in p.frame["country"].unique()]))
    palette = figures.SERIES_COLOURS
    return {c: palette[i % len(palette)] for i, c in enumerate(countries)}


def _axis_id(prefix: str, n: int) -> str:
    return prefix if n == 1 else f"{prefix}{n}"


def _tiny_tick_style(panel: Panel, log: bool) -> dict:
    """Powers of ten on a log axis that reaches below 0.001: Plotly's default writes 1e-6 as "1µ" and 1e-12 as
    "1p", prefixes few readers know (the chained bolívar rate spans 10⁻¹² to 10³)."""
    values = panel.frame["value"]
    if log and (values[values > 0] < 1e-3).any():
        return {"exponentformat": "power"}
    return {}


def explore_figure(
    panels: list[Panel],
    events: pd.DataFrame | None,
    lang: str,
    *,
    source: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    dual: bool = False,
    log: bool = False,
    country_order: Collection[str] = (),
    category_names: dict[str, str] | None = None,
    highlight: set[str] | None = None,
    left_out: str = figures.ChartText.left_out,
    panel_px: int = 250,
    font_size: int = 14,
    plot_px: int = 320,
    event_marks: list[dict] | None = None,
) -> go.Figure:
    """Series on one time axis: stacked panels sharing x (zooming one zooms all), or two series on two y-axes.

    Events are marked on every panel (one legend entry per category hides them everywhere); countries keep
    one colour across panels. On a log axis zero and negative values are left out and the panel says so.
    ``event_marks``: ``explore_event_marks(events, lang, x_range, category_names, highlight, font_size,
    plot_px)`` if the caller keeps it (Explore's page does); made here otherwise.

    Built as plain dicts (the axes ``make_subplots`` would make, the traces, the layout) and made a Figure
    once: adding traces and updating the layout of a Figure one step at a time costs several times more.
    """
    dual = dual and len(panels) == 2
    rows = 1 if dual else max(len(panels), 1)
    colours = _country_colours(panels, country_order)
    title_font = font_size - 1
    shown_in_legend: set[str] = set()
    headings: list[list[str]] = []
    traces: list[dict] = []
    for i, panel in enumerate(panels):
        row = 1 if dual else i + 1
        axes = {"xaxis": "x", "yaxis": "y2" if dual and i == 1 else "y"} if dual else _row_axes(row)
        lines = []
        rank = {c: k for k, c in enumerate(colours)}  # the reader's order of countries, in legend and colours
        groups = sorted(panel.frame.groupby("country", sort=False), key=lambda g: rank.get(g[0], len(rank)))
        for j, (country, frame) in enumerate(groups):
            name = country_name(country, lang)
            if dual:
                colour = figures.SERIES_COLOURS[(i * 3 + j) % len(figures.SERIES_COLOURS)]
                name = f"{_short(panel.title, 34)} · {name}"
            else:
                colour = colours[country]
            line = figures.Line(
                frame, name, colour, hover_unit=panel.unit, frequency=panel.frequency, period=panel.period
            )
            lines.append((line, colour))
        dropped = []
        for line, colour in lines:
            line_dicts, left = figures.line_trace_dicts(line, colour, log, lang)
            dropped.append(left)
            for trace in line_dicts:
                trace["showlegend"] = trace["name"] not in shown_in_legend
                shown_in_legend.add(trace["name"])
                if not dual:  # the line is named by its country alone: its description needs the panel's series
                    trace["meta"] = {**trace["meta"], "panel": panel.title}
                traces.append({**trace, **axes})
        left_rows = pd.concat(dropped) if dropped else pd.DataFrame()
        heading = [f"<b>{escape_plotly(panel.title)}</b>", escape_plotly(panel.unit)]
        if log and not left_rows.empty:
            worst = left_rows.loc[left_rows["value"].idxmin()]
            heading.append(
                "⚠ "
                + escape_plotly(
                    left_out.format(n=len(left_rows), value=number(worst["value"], lang, 2), date=worst["date"])
                )
            )
        headings.append(heading)

    text = figures.ChartText(source=source)
    height_guess = rows * panel_px + 200
    base, x_style, y_style, annotations = figures.base_layout_parts(text, height_guess, font_size, plot_px)
    layout = figures.merge_layout(_subplot_axes(rows, dual), base)
    for key in list(layout):
        if key.startswith("xaxis"):
            layout[key] = figures.merge_layout(layout[key], figures.merge_layout(x_style, periods.axis_ticks(lang)))
        elif key.startswith("yaxis"):
            layout[key] = figures.merge_layout(layout[key], y_style)
    wrap = max(30, int(plot_px / (0.65 * title_font)))  # bold titles run wider than the 0.6 em average
    wrapped = [[line for part in h for line in _wrapescape_plotly(part, wrap)] for h in headings]
    line_px = int(title_font * 1.35)
    if dual:
        for i in range(len(wrapped)):
            colour = figures.SERIES_COLOURS[(i * 3) % len(figures.SERIES_COLOURS)]
            axis = "yaxis2" if i == 1 else "yaxis"
            title = {
                "text": "<br>".join(_wrapescape_plotly(escape_plotly(panels[i].unit), 30)),
                "font": {"color": colour, "size": title_font},
            }
            layout[axis] = figures.merge_layout(layout[axis], {"title": title})
        title_lines = [
            f"<span style='color:{figures.SERIES_COLOURS[(i * 3) % len(figures.SERIES_COLOURS)]}'>{line}</span>"
            for i, heading in enumerate(wrapped)
            for line in heading
        ]
        gaps = [len(title_lines) * line_px + 6]
    else:
        title_lines = []
        gaps = [len(h) * line_px + 12 for h in wrapped]
    names = [t["name"] for t in traces if t.get("showlegend") is not False and t.get("name")]
    layout = figures.merge_layout(layout, figures.legend_parts(names, text, font_size, plot_px))
    top, bottom = layout["margin"]["t"], layout["margin"]["b"]
    plot_h = rows * panel_px + sum(gaps[1:])
    layout = figures.merge_layout(layout, {"height": plot_h + top + gaps[0] + bottom, "margin": {"t": top + gaps[0]}})

    y_type = "log" if log else "linear"
    if dual:
        layout = figures.merge_layout(
            layout,
            {
                "yaxis": {"type": y_type, **_tiny_tick_style(panels[0], log)},
                "yaxis2": {"type": y_type, "showgrid": False, **_tiny_tick_style(panels[1], log)},
                "xaxis": {"domain": [0, 1], "range": list(x_range)},
            },
        )
        annotations.append(
            {
                "text": "<br>".join(title_lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "yshift": 4,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": title_font},
            }
        )
        domains = [(0.0, 1.0)]
    else:
        domains = []
        y_top = 1.0
        for r in range(rows):
            if r > 0:
                y_top -= gaps[r] / plot_h
            y_bottom = max(0.0, y_top - panel_px / plot_h)
            domains.append((y_bottom, y_top))
            axis = f"yaxis{'' if r == 0 else r + 1}"
            ticks = _tiny_tick_style(panels[r], log) if r < len(panels) else {}
            layout[axis] = figures.merge_layout(layout[axis], {"domain": [y_bottom, y_top], "type": y_type, **ticks})
            annotations.append(
                {
                    "text": "<br>".join(wrapped[r]) if r < len(wrapped) else "",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": y_top,
                    "yshift": 2,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "align": "left",
                    "showarrow": False,
                    "font": {"size": title_font},
                }
            )
            y_top = y_bottom
        for r in range(1, rows + 1):
            axis = f"xaxis{'' if r == 1 else r}"
            layout[axis] = figures.merge_layout(layout[axis], {"range": list(x_range)})
    legend_y = 1 + (gaps[0] + 2) / plot_h
    layout = figures.merge_layout(layout, {"legend": {"y": legend_y, "yanchor": "bottom"}})
    layout["annotations"] = annotations

    if events is not None and not events.empty:
        if event_marks is None:
            event_marks = explore_event_marks(events, lang, x_range, category_names, highlight, font_size, plot_px)
        event_traces, event_axes = _events_on_rows(event_marks, events, x_range, domains, highlight)
        traces += event_traces
        layout.update(event_axes)
    # Not validated property by property (a third of the time here, and Explore rebuilds it on every change):
    # these dicts are what a validated figure holds (tests/test_explore.py checks that they stay so).
    return go.Figure(data=traces, layout=layout, _validate=False)


def _row_axes(row: int) -> dict[str, str]:
    return {"xaxis": _axis_id("x", row), "yaxis": _axis_id("y", row)}


def _subplot_axes(rows: int, dual: bool) -> dict[str, dict]:
    """The axes ``make_subplots`` makes for a column of ``rows`` panels sharing x, or one panel with two y-axes.

    (Their y domains are replaced by the panels' own; the dual layout's x domain by [0, 1].)
    """
    if dual:
        return {
            "xaxis": {"anchor": "y", "domain": [0.0, 0.94]},
            "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
            "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right"},
        }
    axes: dict[str, dict] = {}
    for r in range(1, rows + 1):
        x_axis = {"anchor": _axis_id("y", r), "domain": [0.0, 1.0]}
        if r < rows:
            x_axis |= {"matches": _axis_id("x", rows), "showticklabels": False}
        axes[f"xaxis{'' if r == 1 else r}"] = x_axis
        axes[f"yaxis{'' if r == 1 else r}"] = {"anchor": _axis_id("x", r)}
    return axes


def explore_event_marks(
    events: pd.DataFrame,
    lang: str,
    x_range: tuple[pd.Timestamp, pd.Timestamp],
    category_names: dict[str, str] | None = None,
    highlight: set[str] | None = None,
    font_size: int = 14,
    plot_px: int = 320,
) -> list[dict]:
    """The events' traces (``event_marks.event_parts``) as ``explore_figure`` draws them with these arguments."""
    return event_marks.event_parts(events, lang, x_range, category_names, highlight, max(10, font_size - 2), plot_px)[0]


def _events_on_rows(marks, events, x_range, domains, highlight) -> tuple[list[dict], dict]:
    """The events' traces (``explore_event_marks``) with their lines and bands repeated on every panel.

    Labels and the legend entries stay on the top panel; each category shares one legend group, so a click
    on it hides that category on every panel.
    """
    if not marks:
        return [], {}
    traces: list[dict] = []
    axes: dict[str, dict] = {}
    highlighted = events["id"].isin(highlight or set()).to_numpy()
    kinds = events["kind"] if "kind" in events.columns else pd.Series("document", index=events.index)
    strong_lines = [
        ("context" if kind == "context" else category, max(start, x_range[0]))
        for kind, category, start in zip(
            kinds[highlighted].tolist(),
            events["category"][highlighted].tolist(),
            events["start"][highlighted].tolist(),
            strict=True,
        )
    ]
    for r, (bottom, top) in enumerate(domains, start=1):
        axes[f"yaxis{100 + r}"] = {
            "domain": [bottom, top],
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "anchor": _axis_id("x", r),
            "overlaying": _axis_id("y", r),
        }
        for trace in marks:
            is_label = "text" in (trace.get("mode") or "")
            if is_label and r > 1:
                continue
            copy = {**trace, "xaxis": _axis_id("x", r), "yaxis": f"y{100 + r}"}
            if not is_label:
                copy["showlegend"] = False
            traces.append(copy)
        for category, start in strong_lines:
            # The highlighted event's start as a strong line: a short period (a coup of three days) is
            # otherwise a band too thin to see.
            traces.append(
                dict(
                    type="scatter",
                    x=[start, start],
                    y=[0, 1],
                    xaxis=_axis_id("x", r),
                    yaxis=f"y{100 + r}",
                    mode="lines",
                    line={"color": event_marks.CATEGORY_COLOURS.get(category, "#666"), "width": 2.5},
                    hoverinfo="skip",
                    legendgroup=f"ev-{category}",
                    showlegend=False,
                )
            )
    return traces, axes


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrapescape_plotly(text: str, width: int) -> list[str]:
    if text.startswith("<b>") and text.endswith("</b>"):
        return [f"<b>{line}</b>" for line in wrap_text(text[3:-4], width)]
    return wrap_text(text, width)
