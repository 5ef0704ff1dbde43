"""What the Claims page shows, as pure functions: which series to chart for a claim, the chart itself
(Venezuela's values with the documents' events marked), and the claim's label and quote as safe Markdown.

>>> quote_markdown("[x](javascript:alert(1))", "doc.txt")
'> “\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)”  \\n> — doc\\\\.txt'
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .figures import ChartText, Line, timeseries_figure
from .text import escape_markdown
from .transforms import thin_for_drawing

CHART_SERIES = 2  # a claim's chart shows at most its first two series
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


def quote_markdown(quote: str, document: str) -> str:
    """A blockquote of the exact words and, on the next line, the document's file name; all escaped."""
    return f"> “{escape_markdown(quote)}”  \n> — {escape_markdown(document)}"


def chart_groups(series_ids: list[str], catalog: pd.DataFrame, max_series: int = CHART_SERIES) -> list[list[str]]:
    """The claim's first ``max_series`` known series, grouped by unit: one chart per unit.

    >>> cat = pd.DataFrame({"unit": ["pct", "pct", "persons"]}, index=["a", "b", "c"])
    >>> chart_groups(["a", "b", "c"], cat), chart_groups(["c", "a"], cat), chart_groups(["zz"], cat)
    ([['a', 'b']], [['c'], ['a']], [])
    """
    groups: list[list[str]] = []
    for sid in [s for s in series_ids if s in catalog.index][:max_series]:
        same = next((g for g in groups if catalog.loc[g[0], "unit"] == catalog.loc[sid, "unit"]), None)
        if same is None:
            groups.append([sid])
        else:
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
) -> tuple[go.Figure, pd.DataFrame]:
    """One chart of a claim's series that share a unit, with the events that bear on them marked.

    ``text`` brings the source line and the translated notices; the title (country) and the unit are
    filled in here. Returns the figure and exactly the rows plotted (for the download).
    """
    lines, plotted = [], []
    for sid in group:
        if sid not in frames:
            continue
        rows = country_rows(frames[sid])
        if catalog.loc[sid, "frequency"] == "daily":
            rows = thin_for_drawing(rows)
        if rows.empty:
            continue
        unit = catalog.loc[sid, f"unit_{lang}"]
        lines.append(Line(rows, catalog.loc[sid, f"title_{lang}"], hover_unit=unit))
        plotted.append(rows.assign(series=sid))
    countries = {c for frame in plotted for c in frame["country"].unique()}
    title = COUNTRY_NAMES[HOME][lang] if countries == {HOME} else ""
    chart_text = ChartText(
        title=title,
        y_title=catalog.loc[group[0], f"unit_{lang}"],
        source=text.source,
        projection=text.projection,
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
