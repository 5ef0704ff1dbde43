"""The snapshot store: one tidy CSV per series in ``data/snapshots/`` with a generated
provenance sidecar (``<id>.json``) beside it. Writes are atomic and happen only on change:
both files are written in full to temp files first, then renamed, so a refresh killed at any
moment leaves the old snapshot whole. Reading checks the CSV against the sidecar's sha256.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .errors import ValidationError
from .metadata import ANY_COUNTRY, SAFE_ID, Catalog, fill, is_country_code
from .tidy import COLUMNS

SNAPSHOT_DIR_NAME = "snapshots"
TEMP_SUFFIX = ".tmp"
READ_ATTEMPTS = 4  # a reader that meets a refresh between its two renames looks again
MAX_ROWS_LOST = 0.1  # a refresh may drop this share of a series' rows (publishers' revisions) without asking


def snapshot_paths(data_dir: Path, series_id: str) -> tuple[Path, Path]:
    """The CSV and sidecar paths of a series; refuses ids that are not safe file names."""
    if not isinstance(series_id, str) or not SAFE_ID.fullmatch(series_id):
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
    atomic_write_all([(path, data)])


def atomic_write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file in full to a temp file beside it (fsynced), and only then rename them all.

    A process killed while writing leaves every target as it was (and a ``.name.*.tmp`` file that
    the next refresh removes); the renames themselves follow each other within microseconds.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for folder in {path.parent for _, path in staged}:
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (a power cut after this keeps the new files)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(data_dir: Path) -> list[Path]:
    """Delete temp files a killed refresh left in ``snapshots/``; call only while holding the refresh lock."""
    folder = Path(data_dir) / SNAPSHOT_DIR_NAME
    stale = sorted(folder.glob(f".*{TEMP_SUFFIX}")) if folder.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_snapshot(
    data_dir: Path,
    catalog: Catalog,
    series_id: str,
    frame: pd.DataFrame,
    provenance: dict,
    allow_shrink: bool = True,
) -> bool:
    """Validate and write a series' CSV and sidecar; return False (writing nothing) if the CSV is unchanged.
    Unless ``allow_shrink``, a frame that would lose much of the snapshot's history raises ValidationError."""
    entry = catalog.series[series_id]
    where = f"{entry['source']}: {series_id}"
    check_frame(frame, entry, catalog.units, where=where)
    if not allow_shrink and (loss := what_would_be_lost(data_dir, series_id, frame)):
        raise ValidationError(f"{where}: {loss}")
    csv_path, meta_path = snapshot_paths(data_dir, series_id)
    data = to_csv_bytes(frame)
    if (
        csv_path.exists()
        and csv_path.read_bytes() == data
        and read_sidecar(data_dir, series_id).get("sha256") == sha256(data)
    ):
        return False  # unchanged (a sidecar that lost track of its CSV, e.g. after a killed refresh, is rewritten)
    source = catalog.sources[entry["source"]]
    sidecar = {
        "series_id": series_id,
        "source": entry["source"],
        "publisher": entry.get("publisher") or source["publisher"],
        "code": entry["code"],
        "licence": entry.get("licence") or source["licence"],
        "canonical_url": entry.get("url") or fill(source["series_url"], code=entry["code"]),
        **provenance,
        "sha256": sha256(data),
        "rows": len(frame),
        "countries": sorted(frame["country"].unique().tolist()),
        "first_date": f"{frame['date'].min():%Y-%m-%d}",
        "last_date": f"{frame['date'].max():%Y-%m-%d}",
    }
    meta = (json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    atomic_write_all([(csv_path, data), (meta_path, meta)])
    return True


def what_would_be_lost(data_dir: Path, series_id: str, frame: pd.DataFrame) -> str:
    """What replacing the series' snapshot with ``frame`` would lose, or "" when nothing worth asking
    about: more than MAX_ROWS_LOST of its rows, or the earliest dates of any of its countries.
    (A publisher's revisions move a few rows; a broken answer can hold one row of ten thousand.)
    """
    csv_path, _ = snapshot_paths(data_dir, series_id)
    try:
        old = parse_snapshot(csv_path.read_bytes(), csv_path.name)
    except (OSError, ValidationError):  # no snapshot yet, or a damaged one: nothing to keep
        return ""
    new_dates = pd.to_datetime(frame["date"])
    lost = set(zip(old["country"], old["date"], strict=True)) - set(zip(frame["country"], new_dates, strict=True))
    parts = []
    if len(lost) > MAX_ROWS_LOST * len(old):
        parts.append(f"{len(lost):,} of its {len(old):,} rows")
    new_first = new_dates.groupby(frame["country"].to_numpy()).min()
    for country, first in old.groupby("country")["date"].min().items():
        if country not in new_first:
            parts.append(f"all of {country} (from {first:%Y-%m-%d})")
        elif new_first[country] > first:
            parts.append(
                f"the earliest dates of {country} ({first:%Y-%m-%d}; it would start {new_first[country]:%Y-%m-%d})"
            )
    if not parts:
        return ""
    shown = parts[:4] + ([f"{len(parts) - 4} more"] if len(parts) > 4 else [])
    return "would lose " + "; ".join(shown) + ": not written (to accept, refresh with --allow-shrink)"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_snapshot(data_dir: Path, series_id: str) -> pd.DataFrame:
    """A series' snapshot as a tidy frame (datetime ``date``, str ``country``, float ``value``[, ``status``]).

    The CSV must match the sha256 its sidecar records (when it has one); any problem raises
    ValidationError naming the file, so a page can say which series it could not load and why.
    """
    csv_path, _ = snapshot_paths(data_dir, series_id)
    for attempt in range(READ_ATTEMPTS):
        try:
            data = csv_path.read_bytes()
        except FileNotFoundError:
            raise ValidationError(  # the file's place in the data folder, not the server's full path
                f"series '{series_id}': no snapshot {SNAPSHOT_DIR_NAME}/{csv_path.name} in the data folder "
                f"(run `python -m loaders refresh {series_id}`)"
            ) from None
        except OSError as e:
            raise ValidationError(f"{csv_path.name}: cannot be read ({e.strerror or e})") from e
        recorded = read_sidecar(data_dir, series_id).get("sha256")
        if not recorded or recorded == sha256(data):
            break
        if attempt < READ_ATTEMPTS - 1:
            time.sleep(0.02 * 4**attempt)  # a refresh may be between renaming the CSV and its sidecar
    else:
        raise ValidationError(
            f"{csv_path.name} does not match its provenance record: sha256 {sha256(data)[:12]}…, sidecar says "
            f"{str(recorded)[:12]}… (edited by hand or damaged? `python -m loaders validate` tells more)"
        )
    return parse_snapshot(data, csv_path.name)


def parse_snapshot(data: bytes, name: str) -> pd.DataFrame:
    """Parse a snapshot's CSV bytes; raise ValidationError naming ``name`` for anything malformed."""
    try:
        frame = pd.read_csv(
            io.BytesIO(data), dtype={"country": str, "status": str}, keep_default_na=False, na_values=[""]
        )
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as e:
        raise ValidationError(f"{name}: not a readable CSV ({_first_line(e)})") from e
    if list(frame.columns[:3]) != COLUMNS or list(frame.columns[3:]) not in ([], ["status"]):
        raise ValidationError(f"{name}: columns are {list(frame.columns)}; expected {COLUMNS}[, status]")
    try:
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    except (ValueError, TypeError) as e:
        raise ValidationError(f"{name}: column 'date' holds something that is not a YYYY-MM-DD date ({e})") from e
    try:
        frame["value"] = frame["value"].astype(float)
    except (ValueError, TypeError) as e:
        raise ValidationError(f"{name}: column 'value' holds something that is not a number ({e})") from e
    if "status" in frame.columns:
        frame["status"] = frame["status"].fillna("")
    return frame


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def read_sidecar(data_dir: Path, series_id: str, strict: bool = False) -> dict:
    """A series' generated provenance, or {} when it has none.

    A sidecar that is not a JSON object counts as none (the catalog still lists the series);
    with ``strict`` it raises ValidationError naming the file instead.
    """
    _, meta_path = snapshot_paths(data_dir, series_id)
    try:
        sidecar = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        if strict:
            raise ValidationError(f"{series_id}: sidecar {meta_path.name} is not readable JSON ({e})") from e
        return {}
    if not isinstance(sidecar, dict):
        if strict:
            raise ValidationError(f"{series_id}: sidecar {meta_path.name} is not a JSON object")
        return {}
    return sidecar


def snapshot_problems(data_dir: Path, catalog: Catalog, series_id: str) -> list[str]:
    """Check a snapshot against its sidecar and the catalog; each problem names the file and the rule."""
    csv_path, meta_path = snapshot_paths(data_dir, series_id)
    if not csv_path.exists():
        return [f"{series_id}: snapshot {csv_path.name} is missing"]
    if not meta_path.exists():
        return [f"{series_id}: sidecar {meta_path.name} is missing"]
    try:
        sidecar = read_sidecar(data_dir, series_id, strict=True)
    except ValidationError as e:
        return [str(e)]
    data = csv_path.read_bytes()
    if sidecar.get("sha256") != sha256(data):
        expected = str(sidecar.get("sha256"))[:12]
        return [f"{series_id}: {csv_path.name} sha256 is {sha256(data)[:12]}…, sidecar says {expected}…"]
    try:
        frame = parse_snapshot(data, csv_path.name)
        check_frame(frame, catalog.series[series_id], catalog.units, where=f"{series_id}: {csv_path.name}")
    except (ValidationError, ValueError) as e:
        return [str(e) if str(e).startswith(f"{series_id}: ") else f"{series_id}: {e}"]
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
