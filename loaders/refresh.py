"""Refresh snapshots from the publishers: sources fetched concurrently, each series validated
before it is written, failures reported without touching the previous snapshot.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from . import store
from .errors import LoaderError, UpstreamError, UpstreamTimeout, ValidationError
from .http import Http, redact_text, redact_url
from .metadata import Catalog, read_catalog
from .sources import SOURCES

LOCK_NAME = ".refresh.lock"
# A whole refresh stops asking after this long (series not reached fail and keep their snapshot).
# A live refresh of every source takes seconds; a silent publisher is given up after its first
# timeout, so this only bounds publishers that answer, but slowly, series after series.
DEFAULT_DEADLINE_S = 300.0


@dataclass
class Outcome:
    """What happened to one series: ``updated``, ``unchanged`` or ``failed`` (with the cause)."""

    series_id: str
    source: str
    status: str
    message: str = ""
    url: str = ""


class RefreshBusy(LoaderError):
    """Another refresh holds the lock on this data folder."""


def resolve_targets(catalog: Catalog, targets: list[str]) -> list[str]:
    """Series ids for the given series ids and/or source names (all series when empty)."""
    if not targets:
        return list(catalog.series)
    chosen: list[str] = []
    for target in targets:
        if target in catalog.series:
            chosen.append(target)
        elif target in catalog.sources:
            chosen += [sid for sid, e in catalog.series.items() if e["source"] == target]
        else:
            raise LoaderError(
                f"'{target}' is neither a series id nor a source; sources are {', '.join(catalog.sources)} "
                "(see `python -m loaders list` for series ids)"
            )
    return list(dict.fromkeys(chosen))


def refresh_series(http: Http, catalog: Catalog, data_dir: Path, series_id: str, allow_shrink: bool = False) -> Outcome:
    """Fetch, parse, validate and (if changed) write one series; never raises, whatever the answer was.
    An answer that would lose much of the snapshot's history is refused unless ``allow_shrink``."""
    # A source that reads files (local) needs to know which data folder the catalog belongs to.
    entry = {**catalog.series[series_id], "data_dir": str(data_dir)}
    source = entry["source"]
    module = SOURCES[source]
    url = ""
    try:
        responses = module.fetch(entry, http)
        url = responses[0].url if responses else ""
        frame = module.parse([r.body for r in responses], entry)
        provenance = {
            "urls": [redact_url(r.url) for r in responses],
            "fetched_urls": [redact_url(r.fetched_url) for r in responses],
            "mirror": redact_url(http.mirror),
            "retrieved_at": store.utc_now(),
            "source_last_updated": frame.attrs.get("source_last_updated"),
            **frame.attrs.get("provenance", {}),  # a derived series' inputs and recipe
        }
        changed = store.write_snapshot(data_dir, catalog, series_id, frame, provenance, allow_shrink=allow_shrink)
    except UpstreamTimeout as e:
        return Outcome(series_id, source, "timeout", e.cause, e.url)
    except UpstreamError as e:
        return Outcome(series_id, source, "failed", e.cause, e.url)
    except ValidationError as e:
        # check_frame names "source: series id: ..."; the summary line already says both.
        message = str(e).removeprefix(f"{source}: {series_id}: ")
        return Outcome(series_id, source, "failed", f"failed the checks before writing: {message}", url)
    except Exception as e:  # noqa: BLE001 - one bad answer must not stop the other series
        return Outcome(series_id, source, "failed", f"unexpected {type(e).__name__}: {e}", url)
    return Outcome(series_id, source, "updated" if changed else "unchanged", url=url)


def refresh(
    targets: list[str] | None = None,
    data_dir: Path | None = None,
    http: Http | None = None,
    progress: bool | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    deadline: float | None = DEFAULT_DEADLINE_S,
    allow_shrink: bool = False,
) -> list[Outcome]:
    """Refresh the targets (series ids or sources; all when empty) and return one Outcome per series.

    Sources run concurrently; series of one source run in order so a publisher sees one client.
    A source that does not answer in time is asked nothing more in this run; after ``deadline``
    seconds no series is started and no request waits longer. ``progress``: True draws bars,
    False is silent, None (default) draws bars on a terminal and writes plain lines otherwise.
    A second refresh on the same data folder raises RefreshBusy instead of waiting.
    """
    catalog = read_catalog(data_dir)
    data_dir = catalog.path.parent
    http = http or Http()
    series_ids = resolve_targets(catalog, targets or [])
    by_source: dict[str, list[str]] = {}
    for sid in series_ids:
        by_source.setdefault(catalog.series[sid]["source"], []).append(sid)
    lock = FileLock(data_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as e:
        raise RefreshBusy(
            f"another refresh is already running on {data_dir} (it holds {data_dir / LOCK_NAME}); "
            "nothing was changed: try again when it ends"
        ) from e
    started = time.monotonic()
    if deadline is not None:
        http.deadline_at = started + deadline
    report = _Progress(by_source, sys.stderr.isatty() if progress is None else progress, plain=progress is None)
    try:
        store.remove_stale_temp_files(data_dir)  # left by a refresh that was killed mid-write; we hold the lock

        def run_source(source: str, ids: list[str]) -> list[Outcome]:
            outcomes: list[Outcome] = []
            report.start(source)
            for i, sid in enumerate(ids):
                if deadline is not None and time.monotonic() - started > deadline:
                    late = f"not tried: the refresh's {deadline:g} s deadline had passed"
                    batch, stop = [Outcome(s, source, "failed", late) for s in ids[i:]], True
                else:
                    report.series(source, sid)
                    outcome = refresh_series(http, catalog, data_dir, sid, allow_shrink)
                    batch, stop = [outcome], outcome.status == "timeout"
                    if stop:  # the publisher did not answer in time: ask it nothing more in this run
                        outcome.status = "failed"
                        batch += _not_tried(catalog, outcome, ids[i + 1 :])
                for o in batch:
                    outcomes.append(o)
                    report.done(source, o)
                    if on_outcome:
                        on_outcome(o)
                if stop:
                    break
            report.end(source, outcomes)
            return outcomes

        # Derived series read the other series' snapshots, so they run once those are written.
        first = {s: ids for s, ids in by_source.items() if s != "derived"}
        with ThreadPoolExecutor(max_workers=max(1, len(first))) as pool:
            results = list(pool.map(run_source, first, first.values()))
        results += [run_source(s, ids) for s, ids in by_source.items() if s == "derived"]
    finally:
        report.close()
        http.deadline_at = None
        lock.release()
    return [outcome for group in results for outcome in group]


def _not_tried(catalog: Catalog, first: Outcome, rest: list[str]) -> list[Outcome]:
    """The series of a source left after it timed out: failed at once, with the one cause."""
    if not rest:
        return []
    publisher = catalog.sources.get(first.source, {}).get("publisher") or first.source
    first.message += f"; {len(rest)} more series of this source not tried"
    cause = f"not tried: {publisher} did not answer in time for {first.series_id} ({first.message.split(';')[0]})"
    return [Outcome(sid, first.source, "failed", cause) for sid in rest]


class _Progress:
    """Where a refresh is: one bar per source on a terminal (tqdm), or plain lines in a log."""

    def __init__(self, by_source: dict[str, list[str]], bars: bool, plain: bool):
        self.total = {source: len(ids) for source, ids in by_source.items()}
        self.count = dict.fromkeys(by_source, 0)
        self.plain = plain and not bars
        self.bars = (
            {
                source: tqdm(total=n, desc=f"{source:<17}", unit="series", position=i, leave=True, file=sys.stderr)
                for i, (source, n) in enumerate(self.total.items())
            }
            if bars
            else {}
        )
        self._lock = threading.Lock()
        self._started = time.monotonic()

    def _line(self, text: str) -> None:
        if self.plain:
            with self._lock:
                print(f"[{time.monotonic() - self._started:6.1f} s] {one_line(text)}", file=sys.stderr, flush=True)

    def start(self, source: str) -> None:
        self._line(f"{source}: started, {self.total[source]} series")

    def series(self, source: str, series_id: str) -> None:
        if source in self.bars:
            self.bars[source].set_postfix_str(series_id[:40])

    def done(self, source: str, outcome: Outcome) -> None:
        self.count[source] += 1
        if source in self.bars:
            self.bars[source].update()
        self._line(f"{source}: {self.count[source]}/{self.total[source]} {outcome.series_id} {outcome.status}")

    def end(self, source: str, outcomes: list[Outcome]) -> None:
        failed = sum(o.status == "failed" for o in outcomes)
        if source in self.bars:
            self.bars[source].set_postfix_str(f"done, {failed} failed" if failed else "done")
        self._line(f"{source}: finished, {len(outcomes) - failed} ok, {failed} failed")

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """A per-source summary, then one line per failure naming the series, cause and URL."""
    lines = []
    for source in dict.fromkeys(o.source for o in outcomes):
        mine = [o for o in outcomes if o.source == source]
        counts = {s: sum(o.status == s for o in mine) for s in ("updated", "unchanged", "failed")}
        lines.append(f"{source:<17} {len(mine):>3} series: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        lines.append(one_line(f"FAILED {o.source}: {o.series_id}: {o.message}" + (f" ({o.url})" if o.url else "")))
    lines.append(
        f"{len(outcomes)} series in {seconds:.1f} s: "
        f"{sum(o.status == 'updated' for o in outcomes)} updated, {len(failed)} failed"
        + ("; the previous snapshot of each failed series is kept." if failed else ".")
    )
    return "\n".join(lines)


def one_line(text: str, limit: int = 600) -> str:
    r"""A message fit for one terminal line: no secrets, control characters shown as escapes, not too long.

    >>> one_line("HTTP 500 \x1b[2Jboom\nnext line (https://u:pw@h/?api_key=K)")
    'HTTP 500 \\x1b[2Jboom\\nnext line (https://u:***@h/?api_key=***)'
    """
    text = redact_text(text)
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timed_refresh(**kwargs) -> tuple[list[Outcome], float]:
    start = time.perf_counter()
    outcomes = refresh(**kwargs)
    return outcomes, time.perf_counter() - start
