"""Explore's state: what the reader chose, read from and written to the URL, with a message for each
parameter that could not be used. No Streamlit here.

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
from dataclasses import dataclass, replace

from app.i18n import LANGUAGES, translator
from app.text import inert
from loaders.metadata import is_country_code

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
    elif "series" in params and not str(params["series"]).strip():  # the address of an emptied choice
        state = replace(state, series=())

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
