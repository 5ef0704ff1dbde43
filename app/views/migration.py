"""Migration: Venezuelans abroad by UNHCR category (stacked areas), where they live now (top host
countries) and the World Bank's net migration. Pure: frames in, figures and numbers out.

>>> import pandas as pd
>>> f = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"] * 3), "country": ["COL", "PER", "ESP"],
...                   "value": [60.0, 30.0, 10.0]})
>>> top_hosts(f, "es", top=2)[["name", "value", "share"]].values.tolist()
[['Colombia', 60.0, 60.0], ['Perú', 30.0, 30.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.charts import event_marks, figures
from app.charts.host_map import HOST_COUNTRIES
from app.i18n import number, plotly_separators
from loaders.metadata import country_name

ABROAD_START = 2000  # before 2000 the numbers are too small to see beside the millions since 2018
CATEGORY_SERIES = [
    "refugees_from_ven_unhcr_persons",
    "asylum_seekers_from_ven_unhcr_persons",
    "other_in_need_of_protection_from_ven_unhcr_persons",
]
HOST_SERIES = "displaced_abroad_by_host_country_unhcr_persons"
NET_MIGRATION_SERIES = "net_migration_wb_persons"
MIGRATION_CATEGORIES = ["migration"]
TOP_HOSTS = 15
PROVISIONAL_LEGEND = {"en": "provisional (mid-year count)", "es": "provisional (recuento de mitad de año)"}

SHORT_NAMES = {
    "refugees_from_ven_unhcr_persons": {"en": "Refugees", "es": "Refugiados"},
    "asylum_seekers_from_ven_unhcr_persons": {"en": "Asylum seekers", "es": "Solicitantes de asilo"},
    "other_in_need_of_protection_from_ven_unhcr_persons": {
        "en": "Others in need of protection",
        "es": "Otras con necesidad de protección",
    },
}


def stacked_area_figure(
    frames: dict[str, pd.DataFrame],
    names: dict[str, str],
    events: pd.DataFrame | None,
    text: figures.ChartText,
    lang: str = "en",
    hover_unit: str = "",
    category_names: dict[str, str] | None = None,
    start: int | None = None,
    height: int = 500,
    plot_px: int = figures.PHONE_SAFE_PX,
) -> go.Figure:
    """One filled, stacked area per category (a year a category has no figure counts as zero), events marked.

    UNHCR's counts are end-of-year stocks, drawn at the end of their year; its provisional mid-year count of
    the latest year is drawn at mid-year with an open diamond, named in the legend and the hover.
    """
    fig = go.Figure()
    dates = []
    provisional = figures.STATUS_STYLE["provisional"]
    tops: dict[object, float] = {}  # the top of the stack at each position
    provisional_tops: set = set()
    for i, (sid, frame) in enumerate(frames.items()):
        shown = frame.sort_values("date")
        if start is not None:
            shown = shown[shown["date"].dt.year >= start]
        if shown.empty:
            continue
        statuses = shown["status"].to_numpy() if "status" in shown.columns else ["actual"] * len(shown)
        is_provisional = [s == "provisional" for s in statuses]
        x = periods.positions(shown["date"].to_numpy(), "annual", "end_of_period", shown.get("status"))
        dates.append(pd.Series(x))
        colour = figures.SERIES_COLOURS[i % len(figures.SERIES_COLOURS)]
        line = figures.Line(shown, names[sid], hover_unit=hover_unit, frequency="annual", period="end_of_period")
        values = shown["value"].to_numpy()
        custom = figures.hover_texts(shown["date"].to_numpy(), values, statuses, line, "annual", lang)
        for position, value, mine in zip(x, shown["value"], is_provisional, strict=True):
            tops[position] = tops.get(position, 0.0) + value
            if mine:
                provisional_tops.add(position)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=shown["value"],
                customdata=custom,
                name=names[sid],
                mode="lines",
                stackgroup="abroad",
                line={"color": colour, "width": 1.5},
                fillcolor=colour,
                # The unified hover's header is the year alone; each line says which moment of it.
                hovertemplate=f"%{{customdata[0]}}: %{{customdata[1]}}<extra>{names[sid]}</extra>",
                meta={"line": names[sid], "unit": hover_unit, "statuses": list(statuses)},  # for charts/describe
            )
        )
    if provisional_tops:  # an open diamond on the top of the stack at each provisional (mid-year) count
        at = sorted(provisional_tops)
        fig.add_trace(
            go.Scatter(
                x=at,
                y=[tops[p] for p in at],
                mode="markers",
                marker={
                    "symbol": provisional["symbol"],
                    "size": provisional["marker_size"],
                    "color": "#333",
                    "line": {"width": 2},
                },
                name=PROVISIONAL_LEGEND.get(lang, PROVISIONAL_LEGEND["en"]),
                hoverinfo="skip",
            )
        )
    figures.base_layout(fig, text, height, plot_px=plot_px)
    fig.update_yaxes(title_text=text.y_title, rangemode="tozero")
    fig.update_xaxes(hoverformat="%Y", **periods.axis_ticks(lang))
    fig.update_layout(hovermode="x unified", separators=plotly_separators(lang))
    if dates:
        all_dates = pd.concat(dates)
        x_range = (all_dates.min(), periods.period_end(all_dates.max(), "annual"))  # room for the last marker
        fig.update_xaxes(range=[x_range[0], x_range[1]])
        if events is not None and not events.empty:
            event_marks.add_events(fig, events, lang, x_range, category_names, font_size=12, plot_px=plot_px)
    figures.phone_friendly(fig, text)
    return fig


def venezuela_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Venezuela's rows of a series, by date."""
    return frame[frame["country"] == "VEN"].sort_values("date")


def latest_year(frame: pd.DataFrame) -> int | None:
    return int(frame["date"].dt.year.max()) if not frame.empty else None


def top_hosts(
    frame: pd.DataFrame,
    lang: str,
    top: int = TOP_HOSTS,
    year: int | None = None,
    name_of: Callable[[str, str], str] = country_name,
) -> pd.DataFrame:
    """The ``top`` host countries in ``year`` (default: the latest), largest first, with their share (%) of
    everyone from Venezuela abroad that year (all host countries, not only the top)."""
    if frame.empty:
        return pd.DataFrame(columns=["country", "name", "value", "share", "year"])
    year = year or latest_year(frame)
    rows = frame[frame["date"].dt.year == year].groupby("country", as_index=False)["value"].sum()
    total = rows["value"].sum()
    rows = rows.sort_values(["value", "country"], ascending=[False, True]).head(top).reset_index(drop=True)
    rows["name"] = [name_of(code, lang) for code in rows["country"]]
    rows["share"] = rows["value"] / total * 100 if total else float("nan")
    rows["year"] = year
    return rows[["country", "name", "value", "share", "year"]]


def host_years(frame: pd.DataFrame) -> list[int]:
    """The years with a host country's figure, newest first (the map's year control)."""
    return sorted({int(year) for year in frame["date"].dt.year.unique()}, reverse=True)


def host_map_rows(
    frame: pd.DataFrame,
    year: int,
    lang: str,
    countries: Iterable[str],
    name_of: Callable[[str, str], str] = country_name,
) -> pd.DataFrame:
    """Every host of ``year`` (as ``top_hosts``) and, with no value, each of ``countries`` (those the map
    draws) that has no figure that year: the map shows them as such, not as zero.

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-01"]), "country": ["COL", "PER"],
    ...                   "value": [60.0, 40.0]})
    >>> host_map_rows(f, 2024, "en", ["COL", "BRA"])[["country", "value", "share"]].values.tolist()
    [['COL', 60.0, 60.0], ['PER', 40.0, 40.0], ['BRA', nan, nan]]
    """
    hosts = top_hosts(frame, lang, top=frame["country"].nunique(), year=year, name_of=name_of)
    without = sorted(set(countries) - set(hosts["country"]))
    rest = pd.DataFrame(
        {"country": without, "name": [name_of(code, lang) for code in without], "value": float("nan")}
    ).assign(share=float("nan"), year=year)
    return pd.concat([hosts, rest], ignore_index=True) if without else hosts


def host_bar_figure(
    hosts: pd.DataFrame, text: figures.ChartText, lang: str = "en", plot_px: int = figures.PHONE_SAFE_PX
) -> go.Figure:
    """Horizontal bars, largest at the top, each labelled with its country and share of the total.

    The labels sit inside the long bars and beside the short ones, and there are no tick labels on the
    left, so the bars (and the source line under them) use the whole width even on a phone.
    """
    shares = [f"{number(s, lang, 1)} %" for s in hosts["share"]]
    labels = [f"{name} · {share}" for name, share in zip(hosts["name"], shares, strict=True)]
    people = [number(v, lang) for v in hosts["value"]]
    fig = go.Figure(
        go.Bar(
            x=hosts["value"],
            y=hosts["name"],
            orientation="h",
            marker={"color": figures.SERIES_COLOURS[0]},
            text=labels,
            textposition="auto",
            insidetextanchor="end",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": "#222"},
            cliponaxis=False,
            customdata=list(zip(people, shares, strict=True)),
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}"
            + (f" {text.y_title}" if text.y_title else "")
            + "<br>%{customdata[1]}<extra></extra>",
            name=text.y_title,
            showlegend=False,
            meta={  # for describe
                "ranked": text.y_title,
                "of": HOST_COUNTRIES.get(lang, HOST_COUNTRIES["en"]),
                "labels": list(hosts["name"]),
                "values": list(hosts["value"]),
            },
        )
    )
    height = 140 + 30 * max(len(hosts), 1)
    figures.base_layout(fig, text, height, plot_px=plot_px)
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="", title_text="", showticklabels=False)
    # No axis title: it would meet the source line below; the unit is in the chart's title and the hover.
    longest = float(hosts["value"].max()) if not hosts.empty else 1.0
    fig.update_xaxes(range=[0, longest * 1.02], rangemode="tozero")
    fig.update_layout(
        separators=plotly_separators(lang),
        bargap=0.2,
        margin={"t": 20, "r": 20},
        title={"text": ""},  # the page shows the title above the chart, where it wraps on a phone
        uniformtext={"minsize": 12, "mode": "show"},
    )
    return fig


def net_migration_figure(
    frame: pd.DataFrame,
    name: str,
    events: pd.DataFrame | None,
    text: figures.ChartText,
    lang: str = "en",
    hover_unit: str = "",
    category_names: dict[str, str] | None = None,
    start: int = 1990,
    plot_px: int = figures.PHONE_SAFE_PX,
) -> go.Figure:
    """Net migration (immigrants minus emigrants) as a line; below zero more people left than arrived."""
    shown = frame[frame["date"].dt.year >= start]
    # Immigrants minus emigrants over each year: a flow, drawn at the middle of its year.
    line = figures.Line(
        shown, name, colour=figures.SERIES_COLOURS[1], hover_unit=hover_unit, frequency="annual", period="flow"
    )
    fig = figures.timeseries_figure(
        [line], events, text, lang=lang, category_names=category_names, height=420, plot_px=plot_px
    )
    fig.update_yaxes(zerolinecolor="#555", zerolinewidth=1.5)
    figures.phone_friendly(fig, text)
    fig.update_layout(separators=plotly_separators(lang))
    return fig


@dataclass(frozen=True)
class Abroad:
    year: int
    total: float
    by_series: dict[str, float]


def abroad_in_latest_year(frames: dict[str, pd.DataFrame]) -> Abroad | None:
    """Everyone abroad in the latest year any category reports, and each category's part of it."""
    years = [latest_year(f) for f in frames.values() if not f.empty]
    if not years:
        return None
    year = max(years)
    parts = {sid: float(f.loc[f["date"].dt.year == year, "value"].sum()) for sid, f in frames.items() if not f.empty}
    return Abroad(year, sum(parts.values()), parts)


def moment(frames: dict[str, pd.DataFrame], year: int, lang: str) -> str:
    """The moment UNHCR's count for ``year`` stands for: "end of 2024", or "mid-2025 (provisional)"."""
    provisional = any(
        "status" in f.columns and f.loc[f["date"].dt.year == year, "status"].eq("provisional").any()
        for f in frames.values()
    )
    status = "provisional" if provisional else "actual"
    label = periods.when(pd.Timestamp(year=year, month=1, day=1), "annual", "end_of_period", lang, status)
    return f"{label} ({figures.status_names(lang)['provisional']})" if provisional else label


def counted_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The map's rows that have a figure (countries drawn as 'no figure that year' left out)."""
    return rows[rows["value"].notna()]


def year_total(frame: pd.DataFrame, year: int) -> tuple[float, int]:
    """Everyone counted in ``year`` and in how many host countries."""
    in_year = frame[frame["date"].dt.year == year]
    return float(in_year["value"].sum()), int(in_year["country"].nunique())


def categories_download(categories: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The category series in one long table, each row naming its series (the stacked chart's CSV)."""
    return pd.concat([f.assign(series=sid) for sid, f in categories.items()])[["date", "series", "country", "value"]]


def first_year(frame: pd.DataFrame) -> int | None:
    return int(frame["date"].dt.year.min()) if not frame.empty else None


def largest_outflow(frame: pd.DataFrame) -> pd.Series | None:
    """The year of the most negative net migration (the largest net departure)."""
    if frame.empty or not (frame["value"] < 0).any():
        return None
    return frame.loc[frame["value"].idxmin()]
