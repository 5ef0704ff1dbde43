"""Inflation, sources compared: the four measures on one log-scale chart, the years each lacks,
the peaks and a year-by-year table. Pure: frames in, figures and frames out (no Streamlit here).

>>> import pandas as pd
>>> f = pd.DataFrame({"date": pd.to_datetime(["2015-01-01", "2016-01-01", "2019-01-01"]), "value": [1.0, 2.0, 3.0]})
>>> missing_years(f, 2015, 2020)
[2017, 2018, 2020]
>>> year_ranges([2017, 2018, 2020, 2021, 2022, 2030])
'2017–2018, 2020–2022, 2030'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from . import figures
from .i18n import number
from .transforms import split_for_log

INFLATION_SERIES = [
    "inflation_avg_imf_pct",
    "inflation_eop_imf_pct",
    "inflation_cpi_wb_pct",
    "inflation_deflator_wb_pct",
]
# The event categories that bear on prices: the documents' economic events and the sanctions.
INFLATION_CATEGORIES = ["economy", "sanctions"]
CHART_START = 1980  # the IMF's series begin here; the comparison starts with them
TABLE_YEARS = (2012, 2024)
DEFAULT_COUNTRY = "VEN"
# Event labels and the source line are laid out for a plot this wide (pixels): a phone's. On a wide
# screen the source line wraps early; on a phone nothing is cut off.
PHONE_SAFE_PX = 290

# Short legend names per series (the catalogue's titles are long for a legend on a phone).
METRIC_NAMES = {
    "inflation_avg_imf_pct": {"en": "IMF average", "es": "FMI promedio"},
    "inflation_eop_imf_pct": {"en": "IMF end of period", "es": "FMI fin de período"},
    "inflation_cpi_wb_pct": {"en": "World Bank CPI", "es": "Banco Mundial IPC"},
    "inflation_deflator_wb_pct": {"en": "World Bank deflator", "es": "Banco Mundial deflactor"},
}
SHORT_NAMES = {
    "inflation_avg_imf_pct": {"en": "IMF: average consumer prices", "es": "FMI: precios al consumidor, promedio"},
    "inflation_eop_imf_pct": {"en": "IMF: end of period (Dec–Dec)", "es": "FMI: fin de período (dic–dic)"},
    "inflation_cpi_wb_pct": {"en": "World Bank: consumer prices (CPI)", "es": "Banco Mundial: precios al consumidor"},
    "inflation_deflator_wb_pct": {"en": "World Bank: GDP deflator", "es": "Banco Mundial: deflactor del PIB"},
}

TEXT = {
    "missing_intro": {
        "en": "Years without a figure, {start}–{end} (computed from the data):",
        "es": "Años sin cifra, {start}–{end} (calculado a partir de los datos):",
    },
    "missing_source": {"en": "{name}: no value for {years}", "es": "{name}: sin valor para {years}"},
    "missing_all": {"en": "{name}: no values for this country", "es": "{name}: sin valores para este país"},
    "missing_none": {
        "en": "Every source has a value for every year {start}–{end} (computed from the data).",
        "es": "Cada fuente tiene un valor para cada año {start}–{end} (calculado a partir de los datos).",
    },
    "left_out": {
        "en": "⚠ Not shown on the log scale: {n} value(s) ≤ 0, the lowest {value} % ({name}, {year}).",
        "es": "⚠ No se muestran en la escala logarítmica: {n} valor(es) ≤ 0, el menor {value} % ({name}, {year}).",
    },
    "projected": {
        "en": "{name}: {years} are IMF projections, not observed values (dashed)",
        "es": "{name}: {years} son proyecciones del FMI, no valores observados (línea discontinua)",
    },
}


def _tr(key: str, lang: str, **fields: object) -> str:
    entry = TEXT[key]
    return (entry.get(lang) or entry["en"]).format(**fields)


def for_country(frame: pd.DataFrame | None, country: str) -> pd.DataFrame:
    """One country's rows, sorted by date (an empty frame when there is no data)."""
    if frame is None or frame.empty:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype=float)})
    out = frame[frame["country"] == country] if "country" in frame.columns else frame
    return out.sort_values("date").reset_index(drop=True)


def missing_years(frame: pd.DataFrame, start: int, end: int) -> list[int]:
    """The years from ``start`` to ``end`` (inclusive) without a value in ``frame``."""
    have = set(frame.loc[frame["value"].notna(), "date"].dt.year) if not frame.empty else set()
    return [year for year in range(start, end + 1) if year not in have]


def year_ranges(years: list[int]) -> str:
    """Consecutive years joined as ranges: 1980–1984, 2017–2025."""
    parts: list[str] = []
    for year in sorted(years):
        if parts and parts[-1][1] == year - 1:
            parts[-1] = (parts[-1][0], year)
        else:
            parts.append((year, year))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in parts)


def _observed(frame: pd.DataFrame) -> pd.DataFrame:
    if "status" in frame.columns:
        return frame[frame["status"].ne("projection")]
    return frame


def comparison_window(frames: dict[str, pd.DataFrame], start: int = CHART_START) -> tuple[int, int] | None:
    """From ``start`` to the last year that any source has an observed (not projected) value."""
    last = [int(_observed(f)["date"].dt.year.max()) for f in frames.values() if not _observed(f).empty]
    if not last:
        return None
    return start, max(last)


def missing_note(frames: dict[str, pd.DataFrame], names: dict[str, str], lang: str, start: int = CHART_START) -> str:
    """Which years each source lacks over the comparison window, and which are projections; from the data.

    A heading line, then one Markdown bullet per source that lacks years or has projections.
    """
    window = comparison_window(frames, start)
    if window is None:
        return ""
    first, last = window
    lines = []
    for sid, frame in frames.items():
        if frame.empty:
            lines.append(_tr("missing_all", lang, name=names[sid]))
            continue
        gaps = missing_years(frame, first, last)
        if gaps:
            lines.append(_tr("missing_source", lang, name=names[sid], years=year_ranges(gaps)))
    projected_lines = []
    for sid, frame in frames.items():
        if "status" in frame.columns:
            years = sorted(set(frame.loc[frame["status"].eq("projection"), "date"].dt.year))
            if years:
                projected_lines.append(_tr("projected", lang, name=names[sid], years=year_ranges(years)))
    head = _tr("missing_intro" if lines else "missing_none", lang, start=first, end=last)
    return "\n".join([head, *(f"- {line}" for line in lines + projected_lines)])


def inflation_figure(
    frames: dict[str, pd.DataFrame],
    names: dict[str, str],
    events: pd.DataFrame | None,
    text: figures.ChartText,
    lang: str = "en",
    hover_unit: str = "%",
    category_names: dict[str, str] | None = None,
    start: int = CHART_START,
    height: int = 540,
    plot_px: int = PHONE_SAFE_PX,
) -> go.Figure:
    """The four measures on one log axis, projections dashed, events marked.

    Values ≤ 0 cannot be drawn on a log axis: they are left out and the line under the chart says which
    (before the sources). The dashed projection traces share their line's legend entry (one click hides
    both), which keeps the legend short. See ``phone_friendly`` for the title and legend.
    """
    lines = []
    for i, (sid, frame) in enumerate(frames.items()):
        shown = frame[frame["date"].dt.year >= start]
        if shown.empty:
            continue
        colour = figures.SERIES_COLOURS[i % len(figures.SERIES_COLOURS)]
        lines.append(figures.Line(shown, names[sid], colour=colour, hover_unit=hover_unit))
    x_range = None
    if lines:
        end = max(line.frame["date"].max() for line in lines)
        x_range = (pd.Timestamp(year=start, month=1, day=1), end)
    note = left_out_note({line.name: line.frame for line in lines}, lang)
    text = replace(text, source=f"{note} {text.source}".strip())
    fig = figures.timeseries_figure(
        lines,
        events,
        text,
        lang=lang,
        log=True,
        x_range=x_range,
        category_names=category_names,
        height=height,
        plot_px=plot_px,
    )
    # figures' own '⚠ … not shown' sits in the top-right corner, on the legend: ours is in the line below.
    fig.layout.annotations = [
        a for a in fig.layout.annotations if not (str(a.text or "").startswith("⚠") and a.y == 1 and a.x == 1)
    ]
    for trace in fig.data:
        if (trace.line.dash or "") == "dash" and trace.yaxis in (None, "y"):
            trace.showlegend = False
    phone_friendly(fig, text)
    if lines:
        _log_headroom(fig, lines, events_drawn=events is not None and not events.empty)
    fig.update_layout(yaxis_dtick=1)  # one grid line per power of ten: 10, 100, 1000…
    return fig


def left_out_note(frames: dict[str, pd.DataFrame], lang: str) -> str:
    """'⚠ Not shown on the log scale: n value(s) ≤ 0, the lowest −0.88 % (name, 1986).' or ''."""
    dropped = [(name, split_for_log(frame)[1]) for name, frame in frames.items()]
    dropped = [(name, rows) for name, rows in dropped if not rows.empty]
    if not dropped:
        return ""
    count = sum(len(rows) for _, rows in dropped)
    name, rows = min(dropped, key=lambda item: item[1]["value"].min())
    worst = rows.loc[rows["value"].idxmin()]
    value = number(worst["value"], lang, 2).replace("-", "−")
    return _tr("left_out", lang, n=count, value=value, name=name, year=worst["date"].year)


def phone_friendly(fig: go.Figure, text: figures.ChartText, desktop_px: int = 900) -> None:
    """No title inside the figure (the page shows it above, where it wraps on any screen) and a top margin
    sized for the legend on a wide screen.

    On a phone Plotly wraps the horizontal legend to more rows and pushes the plot down to make room
    (automargin); a title inside the figure would then be overlapped, which is why it is outside.
    Event labels and the source line keep their layout for a phone-wide plot (``plot_px``).
    """
    fig.update_layout(title={"text": ""})
    figures.fit_legend(fig, replace(text, title=""), 14, desktop_px)


def grouped_source_line(catalog: pd.DataFrame, series_ids: list[str], lang: str) -> str:
    """A compact source line: one entry per publisher (its codes together), retrieval date and licence."""
    word, retrieved = ("Sources", "retrieved") if lang == "en" else ("Fuentes", "consultado el")
    groups: dict[tuple[str, str, str], list[str]] = {}
    for sid in dict.fromkeys(series_ids):
        row = catalog.loc[sid]
        key = (row["publisher"], str(row["retrieved_at"])[:10] or "?", row["licence"])
        groups.setdefault(key, []).append(str(row["code"]))
    if len(groups) == 1 and len(series_ids) == 1:
        word = word[:-1]
    parts = [f"{pub} ({', '.join(codes)}), {retrieved} {when}, {lic}" for (pub, when, lic), codes in groups.items()]
    return f"{word}: " + "; ".join(parts)


def _log_headroom(fig: go.Figure, lines: list[figures.Line], events_drawn: bool) -> None:
    """A log range with room at the top for the event labels, so they do not sit on the peaks."""
    values = pd.concat([line.frame["value"] for line in lines])
    positive = values[values > 0]
    if positive.empty:
        return
    low, high = math.log10(positive.min()), math.log10(positive.max())
    low -= 0.15
    top_share = 0.76 if events_drawn else 0.95
    # Only the data axis: update_yaxes would also rescale the hidden 0..1 axis the events are drawn on.
    fig.update_layout(yaxis_range=[low, low + max(high - low, 1.0) / top_share])


@dataclass(frozen=True)
class Peak:
    series_id: str
    value: float
    year: int


def peaks(frames: dict[str, pd.DataFrame]) -> list[Peak]:
    """Each source's highest observed (not projected) value and its year."""
    out = []
    for sid, frame in frames.items():
        observed = _observed(frame).dropna(subset=["value"])
        if observed.empty:
            continue
        row = observed.loc[observed["value"].idxmax()]
        out.append(Peak(sid, float(row["value"]), int(row["date"].year)))
    return out


def year_table(
    frames: dict[str, pd.DataFrame], first: int = TABLE_YEARS[0], last: int = TABLE_YEARS[1]
) -> pd.DataFrame:
    """One row per year: the four values side by side (NaN when missing) and whether the IMF's are projections."""
    table = pd.DataFrame({"year": list(range(first, last + 1))})
    projected = pd.Series(False, index=table.index)
    for sid, frame in frames.items():
        rows = frame[frame["date"].dt.year.between(first, last)]
        by_year = rows.groupby(rows["date"].dt.year)["value"].mean()
        table[sid] = table["year"].map(by_year).astype(float)
        if "status" in rows.columns:
            proj_years = set(rows.loc[rows["status"].eq("projection"), "date"].dt.year)
            projected |= table["year"].isin(proj_years)
    table["imf_projection"] = projected
    return table


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``year_table`` for the screen: values written as the reader writes numbers (65,374.1 / 65.374,1)."""
    shown = table.copy()
    for column in shown.columns:
        if column not in ("year", "imf_projection"):
            shown[column] = [None if pd.isna(v) else number(v, lang, 1) for v in shown[column]]
    return shown


def has_projection(frames: dict[str, pd.DataFrame]) -> bool:
    return any("status" in f.columns and f["status"].eq("projection").any() for f in frames.values())
