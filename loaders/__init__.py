"""Venezuela's economy in numbers: the data layer.

Everything else in the project reads data through two functions, which touch only the
committed snapshots in ``data/`` (never the network):

>>> import loaders
>>> cat = loaders.catalog()
>>> cat.loc["oil_price_wti_daily_usd_per_barrel", "publisher"]
'U.S. Energy Information Administration via FRED, Federal Reserve Bank of St. Louis'
>>> wti = loaders.load("oil_price_wti_daily_usd_per_barrel")
>>> float(wti.loc[wti["date"] == "2020-04-20", "value"].iloc[0])
-36.98

Refresh the snapshots from the publishers with ``python -m loaders refresh``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DriftError, LoaderError, UpstreamError, ValidationError
from .metadata import fill, read_catalog
from .store import read_sidecar, read_snapshot

__all__ = ["catalog", "load", "LoaderError", "UpstreamError", "DriftError", "ValidationError"]


def catalog(data_dir: Path | None = None) -> pd.DataFrame:
    """Every series with its metadata (catalog) and provenance (sidecar), indexed by series id.

    Columns include title_en/es, description_en/es, unit, unit_en/es, frequency, period, topic, topic_en/es
    (its label) and topic_rank (its place in the catalog's ``topics:``, the order pages list series in), source,
    publisher, code, licence, licence_url, citation, countries; edition_en/es (the edition the numbers come
    from), licence_en/es and code_en/es (the code in words) for source lines; and from the sidecar
    retrieved_at, first_date, last_date, rows, canonical_url, urls, sha256 (empty when no snapshot).
    An entry's own ``publisher``, ``licence``, ``licence_url``, ``citation`` and ``url`` (a local file's
    provenance) override its source's.
    """
    cat = read_catalog(data_dir)
    topic_rank = {topic: rank for rank, topic in enumerate(cat.topics)}
    rows = []
    for sid, entry in cat.series.items():
        source, unit = cat.sources[entry["source"]], cat.units[entry["unit"]]
        sidecar = read_sidecar(cat.path.parent, sid)
        rows.append(
            {
                "id": sid,
                **{
                    f"{field}_{lang}": entry[field][lang] for field in ("title", "description") for lang in ("en", "es")
                },
                "unit": entry["unit"],
                "unit_en": unit["en"],
                "unit_es": unit["es"],
                "frequency": entry["frequency"],
                "period": entry.get("period"),
                "topic": entry["topic"],
                "topic_en": cat.topics[entry["topic"]]["en"],
                "topic_es": cat.topics[entry["topic"]]["es"],
                "topic_rank": topic_rank[entry["topic"]],
                "source": entry["source"],
                "publisher": entry.get("publisher") or source["publisher"],
                "source_name_en": source["name"]["en"],
                "source_name_es": source["name"]["es"],
                "code": entry["code"],
                "licence": entry.get("licence") or source["licence"],
                **{f"edition_{lang}": edition(source, entry, sidecar, lang) for lang in ("en", "es")},
                "licence_en": entry.get("licence") or source["licence"],
                # A series' own licence names itself in Spanish with licence_es, as a source's does.
                "licence_es": entry.get("licence_es")
                or entry.get("licence")
                or source.get("licence_es")
                or source["licence"],
                **{f"code_{lang}": code_in_words(source, entry["code"], lang) for lang in ("en", "es")},
                "licence_url": entry.get("licence_url") or source.get("licence_url", ""),
                "citation": entry.get("citation") or fill(source["citation"], code=entry["code"]),
                "countries": entry["countries"],
                "retrieved_at": sidecar.get("retrieved_at", ""),
                "first_date": sidecar.get("first_date", ""),
                "last_date": sidecar.get("last_date", ""),
                "rows": sidecar.get("rows", 0),
                "canonical_url": entry.get("url")
                or sidecar.get("canonical_url")
                or fill(source["series_url"], code=entry["code"]),
                "urls": sidecar.get("urls", []),
                "sha256": sidecar.get("sha256", ""),
            }
        )
    return pd.DataFrame(rows).set_index("id", drop=False)


def edition(source: dict, entry: dict, sidecar: dict, lang: str) -> str:
    """The edition the numbers come from, in the reader's language: the source's hand-written ``edition`` with
    ``{updated}`` (the publisher's own "last updated", from the sidecar) and ``{last}`` (the snapshot's latest
    date, as precise as the series) filled in. A series with its own publisher (a local file) names it instead;
    a source without an edition, or a sidecar without the date it needs, gives the dataset's name.

    >>> edition({"edition": {"en": "OPEC basket, archive to {last}"}}, {"frequency": "daily"},
    ...         {"last_date": "2024-11-22"}, "en")
    'OPEC basket, archive to 2024-11-22'
    """
    if entry.get("publisher"):
        return entry["publisher"]
    template = (source.get("edition") or {}).get(lang)
    fields = {
        "updated": str(sidecar.get("source_last_updated") or "")[:10],
        "last": str(sidecar.get("last_date") or "")[: {"annual": 4, "monthly": 7}.get(str(entry.get("frequency")), 10)],
    }
    needed = [name for name in fields if "{" + name + "}" in (template or "")]
    if not template or any(not fields[name] for name in needed):
        return (source.get("name") or {}).get(lang) or source["publisher"]
    return fill(template, **fields)


def code_in_words(source: dict, code: str, lang: str) -> str:
    """The upstream code as a source line shows it: words where the code is a field name (UNHCR's
    ``refugees+asylum_seekers+oip``), else the code itself (NY.GDP.MKTP.CD)."""
    words = (source.get("code_words") or {}).get(lang)
    if not words:
        return code
    parts = [words.get(part, part) for part in code.split("+")]
    joiner = " y " if lang == "es" else " and "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joiner + parts[-1]


def load(series_id: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One series as a tidy frame: datetime ``date``, ISO3 ``country``, float ``value``[, ``status``].

    Reads only the committed snapshot; raises ValidationError for an unknown id or a missing file.
    """
    cat = read_catalog(data_dir)
    if series_id not in cat.series:
        raise ValidationError(f"unknown series id {series_id!r}; see `python -m loaders list`")
    return read_snapshot(cat.path.parent, series_id)
