"""Refresh against a local mirror that adds 200 ms to every response, on temporary copies of ``data/``.

Each source alone, then all sources at once (concurrently, as ``python -m loaders refresh`` does),
each on a copy of the data folder whose snapshots were removed, so every series is fetched, parsed,
validated and written. Then a second refresh of all sources on the folder the first one filled:
nothing changed upstream, so it must write no file. The real ``data/`` is never written.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from loaders.http import Http
from loaders.metadata import read_catalog
from loaders.refresh import refresh
from tests.browser import REPO
from tests.upstream import upstream_mirror

from .stats import ratio, summary

LATENCY_MS = 200


def _fresh_copy(root: Path, name: str) -> Path:
    target = root / name
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns(".*"))
    for snapshot in (target / "snapshots").glob("*"):
        if snapshot.is_file():
            snapshot.unlink()
    return target


def _files(data_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under the folder (lock files aside) with its modification time and size."""
    return {
        str(p.relative_to(data_dir)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.endswith(".lock")
    }


def _timed(mirror: str, data_dir: Path, targets: list[str] | None) -> tuple[float, dict[str, int], list[str]]:
    start = time.perf_counter()
    outcomes = refresh(targets, data_dir=data_dir, http=Http(mirror=mirror), progress=False)
    seconds = time.perf_counter() - start
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    failed = [f"{o.series_id}: {o.message}" for o in outcomes if o.status == "failed"]
    return seconds, counts, failed


def run(repeats: int, log) -> dict:
    sources = [s for s in read_catalog().sources if any(e["source"] == s for e in read_catalog().series.values())]
    alone: dict[str, list[float]] = {s: [] for s in sources}
    together: list[float] = []
    again: list[float] = []
    written_again: list[str] = []
    failures: list[str] = []
    counts_all: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp, upstream_mirror(latency_ms=LATENCY_MS) as mirror:
        root = Path(tmp)
        for r in range(repeats):
            for source in sources:
                seconds, _, failed = _timed(mirror, _fresh_copy(root, f"{source}-{r}"), [source])
                alone[source].append(seconds)
                failures += failed
            data_dir = _fresh_copy(root, f"all-{r}")
            seconds, counts_all, failed = _timed(mirror, data_dir, None)
            together.append(seconds)
            failures += failed
            before = _files(data_dir)
            time.sleep(0.02)
            seconds, counts_again, failed = _timed(mirror, data_dir, None)
            again.append(seconds)
            failures += failed
            after = _files(data_dir)
            written_again += sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
            log(
                f"  repeat {r + 1}/{repeats}: all at once {together[-1]:.2f} s; slowest alone "
                f"{max(v[-1] for v in alone.values()):.2f} s; again {again[-1]:.2f} s, {counts_again}"
            )
    medians = {s: summary(v, 2)["median"] for s, v in alone.items()}
    slowest = max(medians, key=medians.get)
    out = {
        "latency_ms": LATENCY_MS,
        "alone_s": {s: summary(v, 2) for s, v in alone.items()},
        "slowest_source": slowest,
        "all_at_once_s": summary(together, 2),
        "series": counts_all,
        "ratio_to_slowest": ratio(summary(together, 2)["median"], medians[slowest]),
        "second_refresh_s": summary(again, 2),
        "files_written_by_second_refresh": sorted(set(written_again)),
        "failures": sorted(set(failures)),
    }
    return out
