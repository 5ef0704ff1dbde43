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
from .metadata import DATA_DIR, read_catalog
from .store import read_sidecar, read_snapshot

__all__ = ["catalog", "load", "LoaderError", "UpstreamError", "DriftError", "ValidationError", "DATA_DIR"]


def catalog(data_dir: Path | None = None) -> pd.DataFrame:
    """Every series with its metadata (catalog) and provenance (sidecar), indexed by series id.

    Columns include title_en/es, description_en/es, unit, unit_en/es, frequency, topic, source,
    publisher, code, licence, licence_url, citation, countries, and from the sidecar
    retrieved_at, first_date, last_date, rows, canonical_url, urls, sha256 (empty when no snapshot).
    An entry's own ``publisher``, ``licence``, ``licence_url``, ``citation`` and ``url`` (a local file's
    provenance) override its source's.
    """
    cat = read_catalog(data_dir)
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
                "topic": entry.get("topic", ""),
                "source": entry["source"],
                "publisher": entry.get("publisher") or source["publisher"],
                "source_name_en": source["name"]["en"],
                "source_name_es": source["name"]["es"],
                "code": entry["code"],
                "licence": entry.get("licence") or source["licence"],
                "licence_url": entry.get("licence_url") or source.get("licence_url", ""),
                "citation": entry.get("citation") or source["citation"].format(code=entry["code"]),
                "countries": entry["countries"],
                "retrieved_at": sidecar.get("retrieved_at", ""),
                "first_date": sidecar.get("first_date", ""),
                "last_date": sidecar.get("last_date", ""),
                "rows": sidecar.get("rows", 0),
                "canonical_url": entry.get("url")
                or sidecar.get("canonical_url")
                or source["series_url"].format(code=entry["code"]),
                "urls": sidecar.get("urls", []),
                "sha256": sidecar.get("sha256", ""),
            }
        )
    return pd.DataFrame(rows).set_index("id", drop=False)


def load(series_id: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One series as a tidy frame: datetime ``date``, ISO3 ``country``, float ``value``[, ``status``].

    Reads only the committed snapshot; raises ValidationError for an unknown id or a missing file.
    """
    cat = read_catalog(data_dir)
    if series_id not in cat.series:
        raise ValidationError(f"unknown series id {series_id!r}; see `python -m loaders list`")
    return read_snapshot(cat.path.parent, series_id)
