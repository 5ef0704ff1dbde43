"""Series the project computes from other series' snapshots (no network): today the bolívar per
US dollar chained across Venezuela's redenominations.

The catalog entry holds the whole recipe, hand-written: ``inputs`` (one series id), the
``redenominations`` table (day, old units per new unit, a public source), ``input_units`` (from
which month the input is published in the unit introduced on which day) and ``mixed_months``
(months the input averages over two units: dropped, never averaged). A value is divided by the
factor of every redenomination after the unit it is published in, giving today's bolívares.

>>> entry = {"id": "x_ves_per_usd", "countries": ["VEN"], "inputs": ["fx_lcu_per_usd"],
...          "redenominations": [{"date": "2008-01-01", "factor": 1000}, {"date": "2018-08-20", "factor": 100000}],
...          "input_units": [{"from": "1995-01", "unit_of": "2008-01-01"},
...                          {"from": "2018-09", "unit_of": "2018-08-20"}],
...          "mixed_months": ["2018-08"]}
>>> body = b"date,country,value\\n2018-07-01,VEN,129228.5\\n2018-08-01,VEN,2495016.15\\n2018-09-01,VEN,61.4953\\n"
>>> parse([body], entry)["value"].tolist()
[1.292285, 61.4953]
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import DriftError, ValidationError
from ..http import Http, Response
from ..store import parse_snapshot, read_sidecar, sha256, snapshot_paths, to_csv_bytes
from ..tidy import tidy_frame

SOURCE = "derived"


def input_url(series_id: str) -> str:
    """How the sidecar names an input: its snapshot's place in the data folder."""
    return f"file:snapshots/{series_id}.csv"


def fetch(entry: dict, http: Http | None) -> list[Response]:
    """The input snapshots' bytes (``http`` is unused: the contract's signature)."""
    bodies = []
    for series_id in entry["inputs"]:
        path, _ = snapshot_paths(Path(entry["data_dir"]), series_id)
        if not path.is_file():
            raise ValidationError(f"derived: {entry['id']}: input {series_id} has no snapshot; refresh it first")
        bodies.append(Response(input_url(series_id), input_url(series_id), path.read_bytes(), "text/csv"))
    return bodies


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The chained series; its recipe and inputs' sha256 go in ``frame.attrs['provenance']`` for the sidecar."""
    table = sorted(entry["redenominations"], key=lambda r: str(r["date"]))
    days = [str(r["date"]) for r in table]
    units = sorted(entry["input_units"], key=lambda u: str(u["from"]))
    bad = [str(u["unit_of"]) for u in units if str(u["unit_of"]) not in days]
    if bad:
        raise ValidationError(f"derived: {entry['id']}: input_units name {bad}, which are not redenomination dates")
    mixed = {str(m) for m in entry.get("mixed_months") or []}
    frame = parse_snapshot(bodies[0], input_url(entry["inputs"][0]))
    rows = []
    for date, country, value in frame[["date", "country", "value"]].itertuples(index=False):
        month = f"{date:%Y-%m}"
        if month in mixed:
            continue
        unit = next((str(u["unit_of"]) for u in reversed(units) if str(u["from"]) <= month), None)
        if unit is None:
            raise DriftError(SOURCE, input_url(entry["inputs"][0]), f"{month}: no input_units entry covers it")
        factor = math.prod(int(r["factor"]) for r in table if str(r["date"]) > unit)
        # 15 significant digits: the inputs have fewer, and it drops float noise (2.1446e-11, not ...0002e-11).
        rows.append((date, country, float(f"{value / factor:.15g}")))
    result = tidy_frame(rows)
    result.attrs["provenance"] = {
        "inputs": [{"series_id": s, "sha256": sha256(b)} for s, b in zip(entry["inputs"], bodies, strict=True)],
        "redenominations": [{"date": str(r["date"]), "factor": int(r["factor"])} for r in table],
        "input_units": [{"from": str(u["from"]), "unit_of": str(u["unit_of"])} for u in units],
        "mixed_months_dropped": sorted(mixed),
    }
    return result


def problems(data_dir: Path, catalog_series: dict) -> list[str]:
    """For `validate`: each derived snapshot is what its sidecar's inputs and recipe give, recomputed now."""
    found = []
    for sid, entry in catalog_series.items():
        if entry.get("source") != SOURCE:
            continue
        csv_path, _ = snapshot_paths(data_dir, sid)
        if not csv_path.exists():
            continue  # the snapshot store reports a missing snapshot
        recorded = read_sidecar(data_dir, sid).get("inputs") or []
        try:
            bodies = [r.body for r in fetch({**entry, "data_dir": str(data_dir)}, None)]
            fresh = parse(bodies, entry)
        except (ValidationError, DriftError) as e:
            found.append(f"{sid}: cannot be recomputed: {e}")
            continue
        if recorded != fresh.attrs["provenance"]["inputs"]:
            found.append(
                f"{sid}: its sidecar records inputs {recorded}, the snapshots now are "
                f"{fresh.attrs['provenance']['inputs']} (run `python -m loaders refresh {sid}`)"
            )
        elif to_csv_bytes(fresh) != csv_path.read_bytes():
            found.append(f"{sid}: recomputing it from its inputs and the catalog's factors gives other values")
    return found
