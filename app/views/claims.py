"""What the Claims page shows, as pure functions: which series to chart for a claim, the chart itself
(Venezuela's values with the documents' events marked), and the claim's label for a selector.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app.charts.figures import ChartText, Line, timeseries_figure
from app.transforms import thin_for_drawing
from loaders.metadata import country_name

PER_CHART, CHARTS = 2, 2  # a claim shows at most two series on each of at most two charts
HOME = "VEN"
COUNTRY_NAMES = {"VEN": {"en": "Venezuela", "es": "Venezuela"}}
LOG_TOPICS = {"inflation"}  # hyperinflation spans five orders of magnitude: a log scale keeps every year readable
LABEL_CHARS = 80


def claim_label(number: int, quote: str, max_chars: int = LABEL_CHARS) -> str:
    """'3. “they have fallen into …”': the claim's number and its quote, shortened for a selector.

    >>> claim_label(2, "25.000 murders PER YEAR can’t be debated.")
    '2. “25.000 murders PER YEAR can’t be debated.”'
    """
    text = " ".join(str(quote).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return f"{number}. “{text}”"


def chart_groups(
    series_ids: list[str], catalog: pd.DataFrame, per_chart: int = PER_CHART, max_charts: int = CHARTS
) -> list[list[str]]:
    """The claim's known series in order, grouped by unit: one chart per unit, at most ``max_charts`` charts of
    at most ``per_chart`` series; a series that does not fit is left to the "other series" line.

    >>> cat = pd.DataFrame({"unit": ["pct", "pct", "persons", "usd", "pct"]}, index=["a", "b", "c", "d", "e"])
    >>> chart_groups(["a", "b", "c"], cat), chart_groups(["c", "a"], cat), chart_groups(["zz"], cat)
    ([['a', 'b'], ['c']], [['c'], ['a']], [])
    >>> chart_groups(["a", "b", "e", "c", "d"], cat)
    [['a', 'b'], ['c']]
    """
    groups: list[list[str]] = []
    for sid in [s for s in series_ids if s in catalog.index]:
        same = next((g for g in groups if catalog.loc[g[0], "unit"] == catalog.loc[sid, "unit"]), None)
        if same is None and len(groups) < max_charts:
            groups.append([sid])
        elif same is not None and len(same) < per_chart:
            same.append(sid)
    return groups


def uses_log(series_ids: list[str], catalog: pd.DataFrame) -> bool:
    """Log scale for inflation series."""
    return any(catalog.loc[sid, "topic"] in LOG_TOPICS for sid in series_ids if sid in catalog.index)


def country_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Venezuela's rows; for a series without them (world oil prices) its only country, else the world's."""
    countries = set(frame["country"])
    if HOME in countries:
        chosen = HOME
    elif len(countries) == 1:
        chosen = next(iter(countries))
    elif "WLD" in countries:
        chosen = "WLD"
    else:
        return frame.iloc[0:0]
    return frame[frame["country"] == chosen]


def shared_range(groups: list[list[pd.DataFrame]]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """One time axis for a claim's charts (a list of frames per chart): from the latest of the charts' first
    dates to the last date of any, so a long series on one chart (population since 1960) does not stretch the
    other (homicides since 1990); within a chart every line is shown in full.

    >>> f = lambda a, b: pd.DataFrame({"date": pd.to_datetime([a, b])})
    >>> [f"{d:%Y}" for d in shared_range([[f("1960-01-01", "2025-01-01")], [f("1990-01-01", "2022-01-01")]])]
    ['1990', '2025']
    >>> [f"{d:%Y}" for d in shared_range([[f("1992-01-01", "2025-01-01"), f("2018-01-01", "2025-01-01")]])]
    ['1992', '2025']
    """
    charts = [[f for f in group if not f.empty] for group in groups]
    charts = [group for group in charts if group]
    if not charts:
        return None
    start = max(min(f["date"].min() for f in group) for group in charts)
    return start, max(f["date"].max() for group in charts for f in group)


def claim_range(groups: list[list[str]], frames: dict[str, pd.DataFrame]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """``shared_range`` of each chart's series (``groups`` of ids, those in ``frames``), by their ``country_rows``."""
    return shared_range([[country_rows(frames[sid]) for sid in group if sid in frames] for group in groups])


def claim_figure(
    group: list[str],
    frames: dict[str, pd.DataFrame],
    catalog: pd.DataFrame,
    events: pd.DataFrame | None,
    lang: str,
    text: ChartText,
    category_names: dict[str, str] | None = None,
    height: int = 520,
    plot_px: int = 900,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    countries: list[str] | None = None,
) -> tuple[go.Figure, pd.DataFrame]:
    """One chart of a claim's series that share a unit, with the events that bear on them marked.

    ``countries`` (the claim's, e.g. Venezuela and its comparators) draws one line per country and series;
    without it, Venezuela's line (``country_rows``). ``text`` brings the source line and the translated
    notices; the title and the unit are filled in here. Returns the figure and exactly the rows plotted.
    """
    lines, plotted = [], []
    compare = len(countries or []) > 1
    for sid in group:
        if sid not in frames:
            continue
        title = catalog.loc[sid, f"title_{lang}"]
        parts = (
            [frames[sid][frames[sid]["country"] == c] for c in countries] if compare else [country_rows(frames[sid])]
        )
        for rows in parts:
            if catalog.loc[sid, "frequency"] == "daily":
                rows = thin_for_drawing(rows)
            if rows.empty:
                continue
            name = country_name(rows["country"].iloc[0], lang) if compare else title
            lines.append(
                Line(
                    rows,
                    name if len(group) == 1 or not compare else f"{name} · {title}",
                    hover_unit=catalog.loc[sid, f"unit_{lang}"],
                    frequency=catalog.loc[sid, "frequency"],
                    period=catalog.loc[sid, "period"],
                )
            )
            plotted.append(rows.assign(series=sid))
    shown = {c for frame in plotted for c in frame["country"].unique()}
    title = COUNTRY_NAMES[HOME][lang] if shown == {HOME} else catalog.loc[group[0], f"title_{lang}"] if compare else ""
    chart_text = ChartText(
        title=title,
        y_title=catalog.loc[group[0], f"unit_{lang}"],
        source=text.source,
        left_out=text.left_out,
    )
    fig = timeseries_figure(
        lines,
        events,
        chart_text,
        lang=lang,
        log=uses_log(group, catalog),
        x_range=x_range,
        category_names=category_names,
        height=height,
        plot_px=plot_px,
    )
    fig.update_layout(showlegend=True)  # name the line even when it is the only one
    data = pd.concat(plotted, ignore_index=True) if plotted else pd.DataFrame(columns=["date", "country", "value"])
    return fig, data
