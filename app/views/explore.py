"""What the Explore page computes: its state (read from and written to the URL), the frames it plots,
the stacked or dual-axis figure, and the before/after comparison around an event. No Streamlit here.

The URL contract (shared with the other pages, which link here)::

    ?series=id1,id2&countries=VEN,COL&transform=level|yoy|index&base=2013&log=1&freq=native|monthly|annual
     &start=1998&end=2025&cats=oil,politics&layout=stacked|dual&event=<event id>&lang=es

>>> state, problems = parse_state({"series": "inflation_avg_imf_pct", "log": "1"}, ["inflation_avg_imf_pct"])
>>> state.series, state.log, problems
(('inflation_avg_imf_pct',), True, [])
>>> parse_state(state_to_params(state), ["inflation_avg_imf_pct"])[0] == state
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.charts import figures
from app.i18n import LANGUAGES, number, significant, translator
from app.text import escape_plotly, inert
from app.transforms import FREQUENCY_ORDER, change_from_year_ago, index_to_year, thin_for_drawing, to_frequency
from loaders.metadata import country_name, is_country_code

DEFAULT_SERIES = ("oil_price_brent_monthly_usd_per_barrel", "oil_production_ei_thousand_barrels_per_day")
DEFAULT_COUNTRIES = ("VEN",)
DEFAULT_START, DEFAULT_END = 1990, 2025
DEFAULT_BASE = 2013
TRANSFORMS = ("level", "yoy", "index")
FREQUENCIES = ("native", "monthly", "annual")
LAYOUTS = ("stacked", "dual")
MAX_SERIES = 6
MAX_COUNTRIES = 8
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
EVENT_WINDOW_YEARS = 3
# Points sent to the browser for all lines together: about 40 bytes each in Plotly's JSON, so the chart
# stays far under 1.5 MB even with several daily series. The table and the CSV keep every row.
DRAWN_POINTS_BUDGET = 12_000
MAX_POINTS_PER_LINE = 2_000
MIN_POINTS_PER_LINE = 400
STATE_KEYS = ("series", "countries", "transform", "base", "log", "freq", "start", "end", "cats", "layout", "event")
NO_CATEGORIES = "none"
TOPIC_ORDER = ("oil_prices", "oil_production", "inflation", "gdp", "economy", "trade", "migration", "society")

TEXT = {
    "expected_series": {
        "en": "series ids from the catalogue (see the Sources page), e.g. inflation_avg_imf_pct",
        "es": "identificadores de series del catálogo (vea la página Fuentes), p. ej. inflation_avg_imf_pct",
    },
    "expected_max_series": {
        "en": "at most {n} series; the first {n} are shown",
        "es": "como máximo {n} series; se muestran las primeras {n}",
    },
    "expected_countries": {
        "en": "ISO 3166 three-letter country codes such as VEN or COL (or WLD for the world)",
        "es": "códigos de país ISO 3166 de tres letras como VEN o COL (o WLD para el mundo)",
    },
    "expected_max_countries": {
        "en": "at most {n} countries; the first {n} are shown",
        "es": "como máximo {n} países; se muestran los primeros {n}",
    },
    "expected_one_of": {"en": "one of: {options}", "es": "uno de: {options}"},
    "expected_year": {
        "en": "a year between {lo} and {hi}",
        "es": "un año entre {lo} y {hi}",
    },
    "expected_start_end": {
        "en": "a start year no later than the end year",
        "es": "un año de inicio no posterior al año final",
    },
    "expected_log": {"en": "1 (log scale) or 0 (linear)", "es": "1 (escala logarítmica) o 0 (lineal)"},
    "expected_cats": {
        "en": "event categories among: {options} (or none)",
        "es": "categorías de eventos entre: {options} (o none)",
    },
    "expected_event": {
        "en": "an event id from the Events page, e.g. coup_2002",
        "es": "un identificador de evento de la página Eventos, p. ej. coup_2002",
    },
    "expected_base_in_data": {
        "en": "a year the chosen series have data for ({lo}–{hi}); using {fallback}",
        "es": "un año con datos en las series elegidas ({lo}–{hi}); se usa {fallback}",
    },
    "bad_param": {
        "en": "The link's parameter `{param}` has the value “{value}”, but expected {expected}. {fallback}",
        "es": "El parámetro `{param}` del enlace tiene el valor «{value}», pero se esperaba {expected}. {fallback}",
    },
    "fallback_default": {"en": "Showing the default instead.", "es": "Se muestra el valor predeterminado."},
    "fallback_dropped": {"en": "Those values are left out.", "es": "Esos valores se omiten."},
    "unit_yoy": {"en": "% change from a year earlier", "es": "% de cambio respecto a un año antes"},
    "unit_index": {"en": "index, {base} = 100", "es": "índice, {base} = 100"},
    "annual_averages": {"en": "annual averages", "es": "promedios anuales"},
    "monthly_averages": {"en": "monthly averages", "es": "promedios mensuales"},
    "ba_before": {"en": "12 months before", "es": "12 meses antes"},
    "ba_at": {"en": "At the event", "es": "En el evento"},
    "ba_after": {"en": "12 months after", "es": "12 meses después"},
    "ba_year_before": {"en": "Year before", "es": "Año anterior"},
    "ba_event_year": {"en": "Event year", "es": "Año del evento"},
    "ba_year_after": {"en": "Year after", "es": "Año siguiente"},
    "ba_change_before": {"en": "Change, year before", "es": "Cambio, año previo"},
    "ba_change_after": {"en": "Change, year after", "es": "Cambio, año siguiente"},
    "ba_series": {"en": "Series", "es": "Serie"},
    "ba_country": {"en": "Country", "es": "País"},
    "ba_points": {"en": "points", "es": "puntos"},
}

TOPIC_NAMES = {
    "oil_prices": {"en": "Oil prices", "es": "Precios del petróleo"},
    "oil_production": {"en": "Oil production", "es": "Producción petrolera"},
    "inflation": {"en": "Inflation", "es": "Inflación"},
    "gdp": {"en": "GDP", "es": "PIB"},
    "economy": {"en": "Economy", "es": "Economía"},
    "trade": {"en": "Trade", "es": "Comercio"},
    "migration": {"en": "Migration", "es": "Migración"},
    "society": {"en": "Society", "es": "Sociedad"},
}


# ---------------------------------------------------------------- state <-> URL


@dataclass(frozen=True)
class ExploreState:
    """Everything that decides what Explore shows; ``cats=None`` means every event category."""

    series: tuple[str, ...] = DEFAULT_SERIES
    countries: tuple[str, ...] = DEFAULT_COUNTRIES
    transform: str = "level"
    base: int = DEFAULT_BASE
    log: bool = False
    freq: str = "native"
    start: int = DEFAULT_START
    end: int = DEFAULT_END
    cats: tuple[str, ...] | None = None
    layout: str = "stacked"
    event: str | None = None
    lang: str = "en"


@dataclass(frozen=True)
class Problem:
    """A query parameter that could not be used: its name, the value given, what was expected and the outcome."""

    param: str
    value: str
    expected: str  # a key of TEXT
    fields: tuple[tuple[str, object], ...] = ()
    fallback: str = "fallback_default"

    def message(self, lang: str) -> str:
        tr = translator(TEXT, lang)
        text = tr(
            "bad_param",
            param=self.param,
            value=inert(self.value),  # from the address bar: shown as text, never as Markdown
            expected=tr(self.expected, **dict(self.fields)),
            fallback=tr(self.fallback) if self.fallback else "",
        )
        return text.strip()


def _split(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in str(value).split(",") if part.strip()))


def _year(params: Mapping[str, str], key: str, problems: list[Problem]) -> int | None:
    raw = params.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        year = None
    if year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        problems.append(Problem(key, str(raw), "expected_year", (("lo", EARLIEST_YEAR), ("hi", LATEST_YEAR))))
        return None
    return year


def _choice(params: Mapping[str, str], key: str, options: tuple[str, ...], default: str, problems: list[Problem]):
    raw = params.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    if str(raw).strip() in options:
        return str(raw).strip()
    problems.append(Problem(key, str(raw), "expected_one_of", (("options", ", ".join(options)),)))
    return default


def parse_state(
    params: Mapping[str, str],
    series_ids: Collection[str],
    categories: Collection[str] = (),
    events: Mapping[str, tuple[int, int]] | None = None,
    languages: Collection[str] = tuple(LANGUAGES),
) -> tuple[ExploreState, list[Problem]]:
    """The state a URL asks for, and a Problem for each parameter that could not be used (its default is used).

    ``events`` maps event id to (start year, end year): an event without start/end zooms to 3 years either side.
    """
    problems: list[Problem] = []
    state = ExploreState()

    series = _split(params.get("series", ""))
    unknown = [s for s in series if s not in series_ids]
    if unknown:
        problems.append(Problem("series", ",".join(unknown), "expected_series", fallback="fallback_dropped"))
    series = [s for s in series if s in series_ids]
    if len(series) > MAX_SERIES:
        problems.append(Problem("series", ",".join(series), "expected_max_series", (("n", MAX_SERIES),), ""))
        series = series[:MAX_SERIES]
    if series:
        state = replace(state, series=tuple(series))

    countries = [c.upper() for c in _split(params.get("countries", ""))]
    bad = [c for c in countries if not is_country_code(c)]
    if bad:
        problems.append(Problem("countries", ",".join(bad), "expected_countries", fallback="fallback_dropped"))
    countries = list(dict.fromkeys(c for c in countries if is_country_code(c)))
    if len(countries) > MAX_COUNTRIES:
        problems.append(Problem("countries", ",".join(countries), "expected_max_countries", (("n", MAX_COUNTRIES),)))
        countries = countries[:MAX_COUNTRIES]
    if countries:
        state = replace(state, countries=tuple(countries))

    state = replace(
        state,
        transform=_choice(params, "transform", TRANSFORMS, state.transform, problems),
        freq=_choice(params, "freq", FREQUENCIES, state.freq, problems),
        layout=_choice(params, "layout", LAYOUTS, state.layout, problems),
    )
    base = _year(params, "base", problems)
    if base is not None:
        state = replace(state, base=base)

    raw_log = params.get("log")
    if raw_log is not None and str(raw_log).strip() != "":
        flag = str(raw_log).strip().lower()
        if flag in ("1", "true", "yes", "on"):
            state = replace(state, log=True)
        elif flag not in ("0", "false", "no", "off"):
            problems.append(Problem("log", str(raw_log), "expected_log"))

    raw_event = params.get("event")
    if raw_event is not None and str(raw_event).strip() != "":
        if events is not None and str(raw_event).strip() in events:
            state = replace(state, event=str(raw_event).strip())
        else:
            problems.append(Problem("event", str(raw_event), "expected_event"))

    start, end = _year(params, "start", problems), _year(params, "end", problems)
    default_start, default_end = state.start, state.end
    if state.event is not None and events is not None:
        first, last = events[state.event]
        default_start, default_end = first - EVENT_WINDOW_YEARS, last + EVENT_WINDOW_YEARS
    start = default_start if start is None else start
    end = default_end if end is None else end
    if start > end:
        problems.append(Problem("start", f"{start} > end {end}", "expected_start_end"))
        start, end = default_start, default_end
    state = replace(state, start=start, end=end)

    raw_cats = params.get("cats")
    if raw_cats is not None and str(raw_cats).strip() != "":
        if str(raw_cats).strip().lower() == NO_CATEGORIES:
            state = replace(state, cats=())
        else:
            cats = _split(raw_cats)
            unknown_cats = [c for c in cats if c not in categories]
            if unknown_cats:
                options = ", ".join(categories)
                problems.append(
                    Problem(
                        "cats", ",".join(unknown_cats), "expected_cats", (("options", options),), "fallback_dropped"
                    )
                )
            known = tuple(c for c in cats if c in categories)
            if known:
                state = replace(state, cats=None if set(known) == set(categories) else known)

    lang = _choice(params, "lang", tuple(languages), state.lang, problems)
    return replace(state, lang=lang), problems


def state_to_params(state: ExploreState) -> dict[str, str]:
    """The query string for a state: everything explicit, so a pasted link shows the same chart."""
    params = {
        "series": ",".join(state.series),
        "countries": ",".join(state.countries),
        "transform": state.transform,
        "base": str(state.base),
        "log": "1" if state.log else "0",
        "freq": state.freq,
        "start": str(state.start),
        "end": str(state.end),
        "layout": state.layout,
    }
    if state.cats is not None:
        params["cats"] = ",".join(state.cats) if state.cats else NO_CATEGORIES
    if state.event is not None:
        params["event"] = state.event
    params["lang"] = state.lang
    return params


def check_base(base: int, years: Collection[int]) -> tuple[int, Problem | None]:
    """The base year if the data has it; else the year nearest the default that it has, and a Problem."""
    years = sorted(set(years))
    if not years or base in years:
        return base, None
    fallback = min(years, key=lambda y: (abs(y - DEFAULT_BASE), y))
    fields = (("lo", years[0]), ("hi", years[-1]), ("fallback", fallback))
    return fallback, Problem("base", str(base), "expected_base_in_data", fields, "")


def clamp_years(start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The asked range inside the data's years; the whole range if nothing of it is inside."""
    start, end = max(start, lo), min(end, hi)
    return (start, end) if start <= end else (lo, hi)


# ---------------------------------------------------------------- choosing and transforming


def sorted_series(catalog: pd.DataFrame, lang: str) -> list[str]:
    """Series ids grouped by topic (oil first, as the dashboard's story goes), then by title."""
    order = {topic: i for i, topic in enumerate(TOPIC_ORDER)}
    return sorted(
        catalog.index, key=lambda sid: (order.get(catalog.loc[sid, "topic"], 99), catalog.loc[sid, f"title_{lang}"])
    )


def series_label(catalog: pd.DataFrame, series_id: str, lang: str) -> str:
    topic = catalog.loc[series_id, "topic"]
    return f"{TOPIC_NAMES.get(topic, {}).get(lang, topic)} · {catalog.loc[series_id, f'title_{lang}']}"


@dataclass(frozen=True)
class CountryChoice:
    """The countries drawn for one series, and the chosen ones it has no data for."""

    used: tuple[str, ...]
    missing: tuple[str, ...]


def countries_for(available: Collection[str], chosen: Collection[str]) -> CountryChoice:
    """The chosen countries this series has; if none, what it has (Venezuela, else the world, else the first).

    >>> countries_for(["WLD"], ["VEN"])
    CountryChoice(used=('WLD',), missing=('VEN',))
    >>> countries_for(["VEN", "COL"], ["VEN", "NGA"])
    CountryChoice(used=('VEN',), missing=('NGA',))
    """
    available = list(dict.fromkeys(available))
    used = tuple(c for c in chosen if c in available)
    missing = tuple(c for c in chosen if c not in available)
    if not used and available:
        used = (next((c for c in ("VEN", "WLD") if c in available), sorted(available)[0]),)
    return CountryChoice(used, missing)


def effective_frequency(native: str, wanted: str) -> str:
    """The frequency a series is shown at: ``wanted`` when coarser than ``native``, else ``native``."""
    if wanted == "native" or FREQUENCY_ORDER.get(wanted, 0) <= FREQUENCY_ORDER.get(native, 0):
        return native
    return wanted


def transformed(raw: pd.DataFrame, native: str, countries: Collection[str], state: ExploreState) -> pd.DataFrame:
    """The rows to plot for one series: its countries, at the asked frequency, transformed, in the years asked.

    The year-ago change and the index use data outside the range shown (a 1990 change needs 1989).
    """
    return transform_rows(country_rows(raw, countries), native, state)


def country_rows(raw: pd.DataFrame, countries: Collection[str]) -> pd.DataFrame:
    """A series' rows for these countries, by country and date (the first step of ``transformed``)."""
    return raw[raw["country"].isin(list(countries))].sort_values(["country", "date"]).reset_index(drop=True)


def transform_rows(frame: pd.DataFrame, native: str, state: ExploreState) -> pd.DataFrame:
    """``transformed`` of the ``country_rows`` of a series."""
    return in_years(transform_every_year(frame, native, state), state.start, state.end)


def transform_every_year(frame: pd.DataFrame, native: str, state: ExploreState) -> pd.DataFrame:
    """``country_rows`` at the asked frequency, transformed, every year (``state.start`` and ``end`` unused)."""
    frame = to_frequency(frame, native, effective_frequency(native, state.freq))
    if state.transform == "yoy":
        frame = change_from_year_ago(frame)
    elif state.transform == "index":
        # transforms.index_to_year raises when no country has the base year: then there is no index to show.
        has_base = frame["date"].dt.year.eq(state.base).any()
        frame = index_to_year(frame, state.base) if has_base else frame.iloc[0:0]
    return frame


def in_years(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """The rows from ``start`` to ``end`` (years, both included)."""
    years = frame["date"].dt.year
    return frame[(years >= start) & (years <= end)].reset_index(drop=True)


TABLE_COLUMNS = ["date", "country", "series", "value", "status"]


def plotted_table(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Exactly what is plotted, every row (not thinned): date, country, series, value, status."""
    return table_of_parts([table_part(sid, frame) for sid, frame in frames.items()])


def table_part(series_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    """One series' rows of ``plotted_table``."""
    part = frame.assign(series=series_id)
    if "status" not in part.columns:
        part["status"] = ""
    return part[TABLE_COLUMNS]


def table_of_parts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """``plotted_table`` of the series' ``table_part``s."""
    if not parts:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["status"] = table["status"].fillna("").astype(str)
    return table


def table_view(table: pd.DataFrame, lang: str, readings: Mapping[str, tuple[str | None, str | None]]) -> pd.DataFrame:
    """``plotted_table`` for the screen, in the reader's language whatever the browser's: each date by its series'
    frequency and period ("2018 (annual average)"), each value as the language writes numbers (65,374.082 /
    65.374,082), each status in words. ``readings``: each series' (frequency, period) as drawn.
    """
    names = figures.status_names(lang)
    view = table.copy()
    view["date"] = [
        periods.when(date, *_reading(readings.get(series), date), lang, status or "actual")
        for date, series, status in zip(table["date"], table["series"], table["status"], strict=True)
    ]
    view["value"] = [significant(v, lang, 10) for v in table["value"]]
    view["status"] = [names.get(s, s) for s in table["status"]]
    return view


def _reading(reading: tuple[str | None, str | None] | None, date: pd.Timestamp) -> tuple[str, str | None]:
    frequency, period = reading or (None, None)
    return frequency or periods.infer_frequency([date]), period


def points_per_line(lines: int) -> int:
    """How many points each line may send to the browser so the page's charts stay small."""
    return max(MIN_POINTS_PER_LINE, min(MAX_POINTS_PER_LINE, DRAWN_POINTS_BUDGET // max(lines, 1)))


def for_drawing(frame: pd.DataFrame, lines: int) -> pd.DataFrame:
    """Thin a long (daily) frame for drawing; each bucket's minimum and maximum survive.

    A frame with no more rows than a line may draw is returned as it is (``transformed`` sorts by country).
    """
    budget = points_per_line(lines)
    return frame if len(frame) <= budget else thin_for_drawing(frame, budget)


def unit_label(unit: str, transform: str, base: int, frequency_note: str, lang: str) -> str:
    """What the numbers of a panel are, e.g. 'US$ per barrel · annual averages' or 'index, 2013 = 100'."""
    tr = translator(TEXT, lang)
    what = {"level": unit, "yoy": tr("unit_yoy"), "index": tr("unit_index", base=base)}[transform]
    return f"{what} · {frequency_note}" if frequency_note else what


def frequency_note(native: str, wanted: str, lang: str) -> str:
    shown = effective_frequency(native, wanted)
    if shown == native:
        return ""
    return translator(TEXT, lang)("annual_averages" if shown == "annual" else "monthly_averages")


def event_categories_of(events: pd.DataFrame) -> pd.Series:
    """The category each event is drawn under: events added as context are grouped apart as 'context'."""
    kind = events["kind"] if "kind" in events.columns else pd.Series("document", index=events.index)
    return events["category"].where(kind != "context", "context")


def events_to_show(
    events: pd.DataFrame,
    series_ids: Collection[str],
    cats: Collection[str] | None,
    highlight: str | None = None,
) -> pd.DataFrame:
    """The events linked to any of these series, in the chosen categories (all when ``cats`` is None),
    and the highlighted event whatever its category or series.
    """
    wanted = set(series_ids)
    keep = events["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    if cats is not None:
        keep &= event_categories_of(events).isin(list(cats))
    if highlight is not None:
        keep |= events["id"] == highlight
    return events[keep]


# ---------------------------------------------------------------- figure


@dataclass
class Panel:
    """One series: its title, what its numbers are (unit, transform) and the (thinned) frame to draw."""

    series_id: str
    title: str
    unit: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    frequency: str | None = None  # as drawn (after averaging); None: read from the dates
    period: str | None = None  # the catalog's average / end_of_period / flow; None: each value on its date


def _country_colours(panels: list[Panel], order: Collection[str]) -> dict[str, str]:
    countries = list(dict.fromkeys(list(order) + [c for p in panels for c in p.frame["country"].unique()]))
    palette = figures.SERIES_COLOURS
    return {c: palette[i % len(palette)] for i, c in enumerate(countries)}


def _axis_id(prefix: str, n: int) -> str:
    return prefix if n == 1 else f"{prefix}{n}"


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
                "yaxis": {"type": y_type},
                "yaxis2": {"type": y_type, "showgrid": False},
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
            layout[axis] = figures.merge_layout(layout[axis], {"domain": [y_bottom, y_top], "type": y_type})
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
    """The events' traces (``figures.event_parts``) as ``explore_figure`` draws them with these arguments."""
    return figures.event_parts(events, lang, x_range, category_names, highlight, max(10, font_size - 2), plot_px)[0]


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
                    line={"color": figures.CATEGORY_COLOURS.get(category, "#666"), "width": 2.5},
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
        return [f"<b>{line}</b>" for line in figures.wrap_text(text[3:-4], width)]
    return figures.wrap_text(text, width)


# ---------------------------------------------------------------- before / after an event


def _asof(frame: pd.DataFrame, when: pd.Timestamp, tolerance: pd.Timedelta) -> tuple[pd.Timestamp | None, float]:
    """The last observation on or before ``when`` (within ``tolerance``): its date and value."""
    earlier = frame[(frame["date"] <= when) & (frame["date"] > when - tolerance)]
    if earlier.empty:
        return None, float("nan")
    row = earlier.sort_values("date").iloc[-1]
    return row["date"], float(row["value"])


def _change(before: float, after: float, points: bool) -> float:
    if pd.isna(before) or pd.isna(after):
        return float("nan")
    if points:
        return after - before
    if before <= 0:
        return float("nan")  # a percent change from zero or a negative value means nothing
    return (after / before - 1.0) * 100.0


def before_after(frame: pd.DataFrame, event_date: pd.Timestamp, frequency: str, points: bool = False) -> pd.DataFrame:
    """Per country: the value 12 months before the event, at it and 12 months after, and the two changes.

    Monthly and daily series use the last observation on or before each date (the month's value for a
    monthly series); annual series use the values of the year before, the event's year and the year after.
    Changes are in percent, or in points (``points=True``) for series that are already percentages, where a
    percent change of a percentage would mislead. A percent change from zero or a negative value is NaN.

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2001-01-01", "2002-01-01", "2003-01-01"]),
    ...                   "country": "VEN", "value": [100.0, 110.0, 55.0]})
    >>> out = before_after(f, pd.Timestamp("2002-04-11"), "annual")
    >>> out[["change_before", "change_after"]].round(1).values.tolist()
    [[10.0, -50.0]]
    """
    columns = ["country", "before_date", "before", "at_date", "at", "after_date", "after"]
    columns += ["change_before", "change_after"]
    event_date = pd.Timestamp(event_date)
    rows = []
    for country, group in frame.groupby("country", sort=False):
        if frequency == "annual":
            by_year = group.groupby(group["date"].dt.year)["value"].mean()
            year = event_date.year
            dates = [pd.Timestamp(year=y, month=1, day=1) for y in (year - 1, year, year + 1)]
            values = [float(by_year.get(y, float("nan"))) for y in (year - 1, year, year + 1)]
            dates = [d if not pd.isna(v) else None for d, v in zip(dates, values, strict=True)]
        else:
            tolerance = pd.Timedelta(days=32 if frequency == "monthly" else 8)
            found = [_asof(group, event_date + pd.DateOffset(months=m), tolerance) for m in (-12, 0, 12)]
            dates, values = [d for d, _ in found], [v for _, v in found]
        rows.append(
            {
                "country": country,
                "before_date": dates[0],
                "before": values[0],
                "at_date": dates[1],
                "at": values[1],
                "after_date": dates[2],
                "after": values[2],
                "change_before": _change(values[0], values[1], points),
                "change_after": _change(values[1], values[2], points),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def is_percentage(unit_code: str) -> bool:
    """Units that are already percentages or rates (changes in them are shown in points)."""
    return str(unit_code).startswith("pct") or "per_100k" in str(unit_code)


def _number(value: float, lang: str = "en") -> str:
    """A value as the reader writes numbers: 1,051 / 69.08 in English, 1.051 / 69,08 in Spanish.

    >>> _number(1051.2), _number(679.74), _number(69.081, "es"), _number(0.01234)
    ('1,051', '680', '69,08', '0.0123')
    """
    if pd.isna(value):
        return "—"
    size = abs(value)
    if size >= 1:
        return number(value, lang, 0 if size >= 100 else 2)
    small = f"{value:.3g}"
    return small.replace(".", ",") if lang == "es" else small


def _when(date: pd.Timestamp | None, frequency: str) -> str:
    if date is None or pd.isna(date):
        return ""
    return (
        f"{date:%Y}" if frequency == "annual" else (f"{date:%Y-%m}" if frequency == "monthly" else f"{date:%Y-%m-%d}")
    )


def _signed(value: float, points: bool, lang: str) -> str:
    if pd.isna(value):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    number = f"{abs(value):,.1f}"
    if lang == "es":
        number = number.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{sign}{number} " + (translator(TEXT, lang)("ba_points") if points else "%")


def before_after_rows(results: list[tuple[str, pd.DataFrame, str, bool]], lang: str) -> pd.DataFrame:
    """A readable table: one row per series and country, values with their dates, changes signed.

    ``results`` holds (series title, before_after frame, frequency, points) per series. All text is plain.
    """
    tr = translator(TEXT, lang)
    annual_only = all(freq == "annual" for _, _, freq, _ in results)
    headers = (
        [tr("ba_year_before"), tr("ba_event_year"), tr("ba_year_after")]
        if annual_only
        else [tr("ba_before"), tr("ba_at"), tr("ba_after")]
    )
    out = []
    for title, frame, freq, points in results:
        for row in frame.itertuples():
            cells = [
                f"{_number(getattr(row, key), lang)} ({_when(getattr(row, key + '_date'), freq)})"
                if not pd.isna(getattr(row, key))
                else "—"
                for key in ("before", "at", "after")
            ]
            out.append(
                [title, country_name(row.country, lang), *cells]
                + [_signed(row.change_before, points, lang), _signed(row.change_after, points, lang)]
            )
    columns = [tr("ba_series"), tr("ba_country"), *headers, tr("ba_change_before"), tr("ba_change_after")]
    return pd.DataFrame(out, columns=columns)


# ---------------------------------------------------------------- text safety
