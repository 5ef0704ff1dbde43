"""Explore's frames: the series to offer, the countries each can show, the chosen transform and
frequency, the rows drawn and the table of exactly what is plotted. No Streamlit here."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from app import periods
from app.charts import figures
from app.i18n import significant, translator
from app.transforms import FREQUENCY_ORDER, change_from_year_ago, index_to_year, thin_for_drawing, to_frequency
from app.views.explore_state import DRAWN_POINTS_BUDGET, MAX_POINTS_PER_LINE, MIN_POINTS_PER_LINE, TEXT, ExploreState
from loaders.metadata import country_name


def sorted_series(catalog: pd.DataFrame, lang: str) -> list[str]:
    """Series ids grouped by topic in the catalog's order of ``topics:`` (oil first, as the dashboard's story
    goes), then by title."""
    return sorted(catalog.index, key=lambda sid: (catalog.loc[sid, "topic_rank"], catalog.loc[sid, f"title_{lang}"]))


def series_label(catalog: pd.DataFrame, series_id: str, lang: str) -> str:
    """'Topic · title' in the reader's language, e.g. 'Inflation · Consumer prices (annual %)'."""
    return f"{catalog.loc[series_id, f'topic_{lang}']} · {catalog.loc[series_id, f'title_{lang}']}"


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


def table_view(
    table: pd.DataFrame,
    lang: str,
    readings: Mapping[str, tuple[str | None, str | None]],
    titles: Mapping[str, str],
) -> pd.DataFrame:
    """``plotted_table`` for the screen, in the reader's language whatever the browser's: each series by its title
    and each country by its name (the ids stay in the CSV), each date by its series' frequency and period ("2018
    (annual average)"), each value as the language writes numbers (65,374.082 / 65.374,082), each status in words.
    ``readings``: each series' (frequency, period) as drawn; ``titles``: each series' title in ``lang``.
    """
    names = figures.status_names(lang)
    view = table.copy()
    view["series"] = [titles.get(series, series) for series in table["series"]]
    view["country"] = [country_name(code, lang) for code in table["country"]]
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
