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
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from app.charts import figures
from app.i18n import number
from app.links import safe_link
from app.text import escape_markdown
from app.transforms import split_for_log

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
    "estimate": {
        "en": "{name}: {years} are IMF estimates of years without a reported figure (dotted, open circles)",
        "es": "{name}: {years} son estimaciones del FMI de años sin cifra reportada (punteada, círculos abiertos)",
    },
    "projection": {
        "en": "{name}: {years} are IMF projections (dashed)",
        "es": "{name}: {years} son proyecciones del FMI (línea discontinua)",
    },
}


# What the numbers cannot say (attributed: no series in the project holds the Assembly's index). Two press reports
# of the Assembly's figure for 2018 and of the central bank's years without figures.
OFFICIAL_GAP_SOURCES = (
    ("El Nuevo Siglo", "https://elnuevosiglo.com.co/economia/inflacion-en-venezuela-16984882-en-2018"),
    ("T13", "https://t13.cl/amp/noticia/negocios/inflacion-venezuela-cerro-mas-9.500-2019"),
)
OFFICIAL_GAP = {
    "en": "What the numbers cannot say: Venezuela's central bank published no inflation figures from early 2016 "
    "until 29 May 2019, when it released its figures for 2016–2018 ({eop_2018} % from December to December in "
    "2018). The IMF's figures for 2016–2018 come from that retroactive release. In the meantime the "
    "opposition-led National Assembly published its own index, which put inflation in 2018 near 1.7 million % "
    "(as reported by {{links}}).",
    "es": "Lo que las cifras no pueden decir: el Banco Central de Venezuela no publicó cifras de inflación desde "
    "comienzos de 2016 hasta el 29 de mayo de 2019, cuando divulgó sus cifras de 2016–2018 ({eop_2018} % de "
    "diciembre a diciembre en 2018). Las cifras del FMI de 2016–2018 provienen de esa publicación retroactiva. "
    "Entretanto, la Asamblea Nacional de mayoría opositora publicó su propio índice, que situó la inflación de "
    "2018 cerca de 1,7 millones % (según {{links}}).",
}


def official_gap_note(eop: pd.DataFrame, lang: str) -> str | None:
    """Markdown: the years without central-bank figures and the Assembly's index, with the press reports linked.

    The 2018 figure is read from the IMF's end-of-period series (Venezuela's rows); None when it lacks 2018.
    """
    row = eop[eop["date"].dt.year == 2018]
    if row.empty:
        return None
    links = (" y " if lang == "es" else " and ").join(safe_link(name, url) for name, url in OFFICIAL_GAP_SOURCES)
    before, after = OFFICIAL_GAP[lang].format(eop_2018=number(float(row["value"].iloc[0]), lang)).split("{links}")
    return escape_markdown(before) + links + escape_markdown(after)


def _tr(key: str, lang: str, **fields: object) -> str:
    entry = TEXT[key]
    return (entry.get(lang) or entry["en"]).format(**fields)


def for_country(frame: pd.DataFrame | None, country: str) -> pd.DataFrame:
    """One country's rows, sorted by date (an empty frame when there is no data)."""
    if frame is None or frame.empty:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype=float)})
    out = frame[frame["country"] == country] if "country" in frame.columns else frame
    return out.sort_values("date").reset_index(drop=True)


def country_frames(frames: Mapping[str, pd.DataFrame], country: str) -> dict[str, pd.DataFrame]:
    """Each series' ``for_country`` rows, by id."""
    return {sid: for_country(frame, country) for sid, frame in frames.items()}


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
    """The rows the source reports as actual: not its estimates or projections."""
    if "status" in frame.columns:
        return frame[frame["status"].isin(["actual", ""])]
    return frame


def comparison_window(frames: dict[str, pd.DataFrame], start: int = CHART_START) -> tuple[int, int] | None:
    """From ``start`` to the last year that any source has an actual (not estimated or projected) value."""
    last = [int(_observed(f)["date"].dt.year.max()) for f in frames.values() if not _observed(f).empty]
    if not last:
        return None
    return start, max(last)


def missing_note(frames: dict[str, pd.DataFrame], names: dict[str, str], lang: str, start: int = CHART_START) -> str:
    """Which years each source lacks over the comparison window, and which are estimates or projections; from
    the data. A heading line, then one Markdown bullet per source that lacks years or has estimates or projections.
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
        for status in ("estimate", "projection"):
            if "status" in frame.columns:
                years = sorted(set(frame.loc[frame["status"].eq(status), "date"].dt.year))
                if years:
                    projected_lines.append(_tr(status, lang, name=names[sid], years=year_ranges(years)))
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
    plot_px: int = figures.PHONE_SAFE_PX,
    periods_of: dict[str, str] | None = None,
) -> go.Figure:
    """The four measures on one log axis, estimates dotted, projections dashed, events marked.

    Values ≤ 0 cannot be drawn on a log axis: they are left out and the line under the chart says which
    (before the sources). ``periods_of``: the catalog's period of each series (average, end_of_period), which
    places each year's value on the time axis. See ``figures.phone_friendly`` for the title and legend.
    """
    lines = []
    for i, (sid, frame) in enumerate(frames.items()):
        shown = frame[frame["date"].dt.year >= start]
        if shown.empty:
            continue
        colour = figures.SERIES_COLOURS[i % len(figures.SERIES_COLOURS)]
        period = (periods_of or {}).get(sid)
        lines.append(
            figures.Line(shown, names[sid], colour=colour, hover_unit=hover_unit, frequency="annual", period=period)
        )
    x_range = None
    if lines:
        end = max(line.frame["date"].max() for line in lines)
        x_range = (pd.Timestamp(year=start, month=1, day=1), pd.Timestamp(year=end.year, month=12, day=31))
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
    # One legend entry per line; the styles of estimates and projections are named once, in grey.
    for trace in fig.data:
        if trace.line.dash in ("dot", "dash") and trace.customdata is not None:
            trace.showlegend = False
    statuses = {s for line in lines if "status" in line.frame.columns for s in line.frame["status"]}
    fig.add_traces(figures.status_key_traces(statuses, lang))
    figures.phone_friendly(fig, text)
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
    """Each source's highest actual (not estimated or projected) value and its year."""
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
    """One row per year: the four values side by side (NaN when missing) and the IMF's status of the year
    (actual, estimate or projection: the least firm of its two series; empty without IMF values)."""
    table = pd.DataFrame({"year": list(range(first, last + 1))})
    status = pd.Series("", index=table.index, dtype=object)
    for sid, frame in frames.items():
        rows = frame[frame["date"].dt.year.between(first, last)]
        by_year = rows.groupby(rows["date"].dt.year)["value"].mean()
        table[sid] = table["year"].map(by_year).astype(float)
        if "status" in rows.columns:
            for firmness in ("actual", "estimate", "projection"):  # a later one overrides an earlier one
                years = set(rows.loc[rows["status"].eq(firmness), "date"].dt.year)
                status = status.mask(table["year"].isin(years), firmness)
    table["imf_status"] = status
    return table


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``year_table`` for the screen: values written as the reader writes numbers (65,374.1 / 65.374,1), the
    IMF's status in words of the reader's language."""
    shown = table.copy()
    names = figures.status_names(lang)
    for column in shown.columns:
        if column == "imf_status":
            shown[column] = [names.get(s, s) for s in shown[column]]
        elif column != "year":
            shown[column] = [None if pd.isna(v) else number(v, lang, 1) for v in shown[column]]
    return shown


def has_estimate_or_projection(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether any value drawn is an IMF estimate or projection (the chart then says how each is drawn)."""
    return any("status" in f.columns and f["status"].isin(["estimate", "projection"]).any() for f in frames.values())
