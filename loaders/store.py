"""The snapshot store: one tidy CSV per series in ``data/snapshots/`` with a generated
provenance sidecar (``<id>.json``) beside it. Writes are atomic and happen only on change.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .errors import ValidationError
from .metadata import ANY_COUNTRY, SAFE_ID, Catalog, is_country_code
from .tidy import COLUMNS

SNAPSHOT_DIR_NAME = "snapshots"


def snapshot_paths(data_dir: Path, series_id: str) -> tuple[Path, Path]:
    """The CSV and sidecar paths of a series; refuses ids that are not safe file names."""
    if not SAFE_ID.match(series_id or ""):
        raise ValidationError(f"series id {series_id!r} is not a safe file name (snake_case letters, digits, _)")
    folder = Path(data_dir) / SNAPSHOT_DIR_NAME
    return folder / f"{series_id}.csv", folder / f"{series_id}.json"


def check_frame(frame: pd.DataFrame, entry: dict, units: dict, where: str) -> None:
    """Validate a tidy frame before it is written; raise ValidationError naming ``where`` and the rule.

    Checks columns, dtypes, ISO3 codes, dates, duplicates, emptiness and the unit's plausible bounds.
    """
    expected = COLUMNS + (["status"] if "status" in frame.columns else [])
    if list(frame.columns) != expected:
        raise ValidationError(f"{where}: columns are {list(frame.columns)}; expected {expected}")
    if frame.empty:
        raise ValidationError(f"{where}: no observations (every value missing or the answer was empty)")
    if not pd.api.types.is_datetime64_any_dtype(frame["date"]) or frame["date"].isna().any():
        raise ValidationError(f"{where}: column 'date' must hold valid dates")
    if not pd.api.types.is_float_dtype(frame["value"]) or frame["value"].isna().any():
        raise ValidationError(f"{where}: column 'value' must hold numbers with no gaps")
    bad_codes = sorted({c for c in frame["country"].unique() if not is_country_code(c)})
    if bad_codes:
        raise ValidationError(f"{where}: unknown ISO3 country codes {bad_codes[:10]}")
    allowed = entry.get("countries") or []
    if ANY_COUNTRY not in allowed:
        extra = sorted(set(frame["country"]) - set(allowed))
        if extra:
            raise ValidationError(f"{where}: countries {extra} are not in the catalog entry's countries")
    duplicated = frame[frame.duplicated(["country", "date"], keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise ValidationError(
            f"{where}: duplicate date {first['date']:%Y-%m-%d} for {first['country']} "
            f"({len(duplicated)} rows share a country and date)"
        )
    unit = units[entry["unit"]]
    low, high = float(unit["min"]), float(unit["max"])
    outside = frame[(frame["value"] < low) | (frame["value"] > high)]
    if not outside.empty:
        row = outside.iloc[0]
        raise ValidationError(
            f"{where}: value {row['value']:,.6g} for {row['country']} on {row['date']:%Y-%m-%d} is outside "
            f"the plausible range for unit '{entry['unit']}' ({low:,.6g} to {high:,.6g}); "
            f"{len(outside)} value(s) out of range"
        )


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV text of a tidy frame: ISO dates, shortest round-trip floats, LF endings."""
    out = frame.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["value"] = [repr(float(v)) for v in out["value"]]
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, then rename: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_snapshot(data_dir: Path, catalog: Catalog, series_id: str, frame: pd.DataFrame, provenance: dict) -> bool:
    """Validate and write a series' CSV and sidecar; return False (writing nothing) if the CSV is unchanged."""
    entry = catalog.series[series_id]
    check_frame(frame, entry, catalog.units, where=f"{entry['source']}: {series_id}")
    csv_path, meta_path = snapshot_paths(data_dir, series_id)
    data = to_csv_bytes(frame)
    if csv_path.exists() and csv_path.read_bytes() == data and meta_path.exists():
        return False
    source = catalog.sources[entry["source"]]
    sidecar = {
        "series_id": series_id,
        "source": entry["source"],
        "publisher": source["publisher"],
        "code": entry["code"],
        "licence": source["licence"],
        "canonical_url": source["series_url"].format(code=entry["code"]),
        **provenance,
        "sha256": sha256(data),
        "rows": len(frame),
        "countries": sorted(frame["country"].unique().tolist()),
        "first_date": f"{frame['date'].min():%Y-%m-%d}",
        "last_date": f"{frame['date'].max():%Y-%m-%d}",
    }
    atomic_write(csv_path, data)
    atomic_write(meta_path, (json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return True


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_snapshot(data_dir: Path, series_id: str) -> pd.DataFrame:
    """A series' snapshot as a tidy frame (datetime ``date``, str ``country``, float ``value``[, ``status``])."""
    csv_path, _ = snapshot_paths(data_dir, series_id)
    if not csv_path.exists():
        raise ValidationError(
            f"series '{series_id}': no snapshot at {csv_path} (run `python -m loaders refresh {series_id}`)"
        )
    frame = pd.read_csv(csv_path, dtype={"country": str, "status": str}, keep_default_na=False, na_values=[""])
    if list(frame.columns[:3]) != COLUMNS:
        raise ValidationError(f"{csv_path.name}: columns are {list(frame.columns)}; expected {COLUMNS}[, status]")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["value"] = frame["value"].astype(float)
    if "status" in frame.columns:
        frame["status"] = frame["status"].fillna("")
    return frame


def read_sidecar(data_dir: Path, series_id: str) -> dict:
    """A series' generated provenance, or {} when it has none."""
    _, meta_path = snapshot_paths(data_dir, series_id)
    if not meta_path.exists():
        return {}
    return json.loads(meta_path.read_text(encoding="utf-8"))


def snapshot_problems(data_dir: Path, catalog: Catalog, series_id: str) -> list[str]:
    """Check a snapshot against its sidecar and the catalog; each problem names the file and the rule."""
    csv_path, meta_path = snapshot_paths(data_dir, series_id)
    if not csv_path.exists():
        return [f"{series_id}: snapshot {csv_path.name} is missing"]
    if not meta_path.exists():
        return [f"{series_id}: sidecar {meta_path.name} is missing"]
    sidecar, data = read_sidecar(data_dir, series_id), csv_path.read_bytes()
    if sidecar.get("sha256") != sha256(data):
        expected = str(sidecar.get("sha256"))[:12]
        return [f"{series_id}: {csv_path.name} sha256 is {sha256(data)[:12]}…, sidecar says {expected}…"]
    try:
        frame = read_snapshot(data_dir, series_id)
        check_frame(frame, catalog.series[series_id], catalog.units, where=f"{series_id}: {csv_path.name}")
    except (ValidationError, ValueError) as e:
        return [str(e)]
    problems = []
    facts = {
        "rows": len(frame),
        "first_date": f"{frame['date'].min():%Y-%m-%d}",
        "last_date": f"{frame['date'].max():%Y-%m-%d}",
    }
    for field, actual in facts.items():
        if sidecar.get(field) != actual:
            problems.append(f"{series_id}: sidecar {field} is {sidecar.get(field)!r}, the CSV has {actual!r}")
    return problems
