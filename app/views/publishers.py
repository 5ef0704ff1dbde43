"""The Sources page: every series with its provenance, the two source documents and what the dashboard
takes from each. Pure: catalogue and event frames in, frames and strings out (no Streamlit here).

>>> date_text("2026-07-01", "monthly")
'2026-07'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

FREQUENCIES = {
    "daily": {"en": "daily", "es": "diaria"},
    "monthly": {"en": "monthly", "es": "mensual"},
    "annual": {"en": "annual", "es": "anual"},
}
ANY_COUNTRY = "*"


def date_text(value: object, frequency: str) -> str:
    """A coverage date as precise as the series: 2025 (annual), 2026-07 (monthly), 2026-08-18 (daily).

    >>> date_text("2025-01-01", "annual"), date_text("2026-07-01", "monthly"), date_text("", "daily")
    ('2025', '2026-07', '')
    """
    text = str(value or "")[:10]
    return text[: {"annual": 4, "monthly": 7}.get(frequency, 10)]


def countries_text(countries: list[str], in_data: list[str] | None = None) -> str:
    """The catalogue's country list; for 'any country' series (by host country), the ones in the data."""
    if ANY_COUNTRY in (countries or []):
        found = sorted(in_data or [])
        return f"* ({len(found)})" if found else "*"
    return ", ".join(countries or [])


def coverage_for(frame: pd.DataFrame | None, country: str, frequency: str) -> str:
    """First–last date of one country's rows (as precise as the series), or '' when it has none.

    >>> f = pd.DataFrame({"date": pd.to_datetime(["2009-01-01", "2016-01-01"]), "country": "VEN", "value": 1.0})
    >>> coverage_for(f, "VEN", "annual"), coverage_for(f, "COL", "annual")
    ('2009–2016', '')
    """
    if frame is None or frame.empty:
        return ""
    dates = frame.loc[(frame["country"] == country) & frame["value"].notna(), "date"]
    if dates.empty:
        return ""
    first, last = (date_text(d.strftime("%Y-%m-%d"), frequency) for d in (dates.min(), dates.max()))
    return f"{first}–{last}"


def coverage(catalog: pd.DataFrame, frames: Mapping[str, pd.DataFrame]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """For ``sources_table``: the countries of each series that may hold any country, and Venezuela's first–last
    dates of each series (``coverage_for``), from the series' ``frames`` by id (a series without one is left out)."""
    countries_in_data, venezuela = {}, {}
    for sid, row in catalog.iterrows():
        frame = frames.get(sid)
        if frame is None:
            continue
        venezuela[sid] = coverage_for(frame, "VEN", row["frequency"])
        if ANY_COUNTRY in list(row["countries"]):
            countries_in_data[sid] = sorted(frame["country"].unique())
    return countries_in_data, venezuela


def sources_table(
    catalog: pd.DataFrame,
    lang: str,
    countries_in_data: dict[str, list[str]] | None = None,
    venezuela: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per series with everything an analyst needs to check it, in the reader's language."""
    rows = []
    for sid, row in catalog.iterrows():
        countries = list(row["countries"]) if isinstance(row["countries"], list | tuple) else []
        in_data = (countries_in_data or {}).get(sid)
        rows.append(
            {
                "title": row[f"title_{lang}"],
                "id": sid,
                "topic": row[f"topic_{lang}"],
                "publisher": row["publisher"],
                "dataset": row[f"source_name_{lang}"],
                "edition": row[f"edition_{lang}"],
                "code": row["code"],
                "unit": row[f"unit_{lang}"],
                "frequency": FREQUENCIES.get(row["frequency"], {}).get(lang, row["frequency"]),
                "first": date_text(row["first_date"], row["frequency"]),
                "last": date_text(row["last_date"], row["frequency"]),
                "venezuela": (venezuela or {}).get(sid, ""),
                "n_countries": len(in_data) if ANY_COUNTRY in countries and in_data else len(countries),
                "countries": countries_text(countries, in_data),
                "rows": int(row["rows"]) if pd.notna(row["rows"]) and str(row["rows"]) != "" else 0,
                "retrieved": str(row["retrieved_at"]).replace("T", " ").replace("Z", " UTC"),
                "licence": row[f"licence_{lang}"],
                "licence_url": row["licence_url"],
                "canonical_url": row["canonical_url"],
                "citation": row["citation"],
            }
        )
    return pd.DataFrame(rows)


def filter_sources(table: pd.DataFrame, topics: list[str] | None, publishers: list[str] | None) -> pd.DataFrame:
    """Rows whose topic and publisher are among those chosen (an empty choice keeps everything)."""
    mask = pd.Series(True, index=table.index)
    if topics:
        mask &= table["topic"].isin(topics)
    if publishers:
        mask &= table["publisher"].isin(publishers)
    return table[mask].reset_index(drop=True)


def licences(catalog: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Each distinct licence once (named in the reader's language), with its URL and how many series use it."""
    named = catalog.assign(licence=catalog[f"licence_{lang}"])
    grouped = named.groupby(["licence", "licence_url"], sort=False).size().rename("series").reset_index()
    return grouped.sort_values("series", ascending=False).reset_index(drop=True)


def document_counts(events: pd.DataFrame, claims: pd.DataFrame, documents: Iterable[str] = ()) -> pd.DataFrame:
    """Per document (``documents`` first, in their order, then any other cited): events taken from it, events
    it also mentions, and claims quoted from it."""

    def also(frame: pd.DataFrame, doc: str) -> int:
        return int(
            frame["also_in"]
            .map(lambda refs: any(isinstance(r, dict) and r.get("document") == doc for r in refs or []))
            .sum()
        )

    docs = list(documents)
    docs += sorted({d for d in pd.concat([events["document"], claims["document"]]).dropna() if d not in docs})
    rows = []
    for doc in docs:
        rows.append(
            {
                "document": doc,
                "events": int((events["document"] == doc).sum()),
                "events_also": also(events, doc),
                "claims": int((claims["document"] == doc).sum()),
                "claims_also": also(claims, doc),
            }
        )
    return pd.DataFrame(rows)


def context_event_count(events: pd.DataFrame) -> int:
    """Events added as context by the dashboard (not from either document)."""
    return int((events.get("kind", pd.Series(dtype=str)) == "context").sum())
