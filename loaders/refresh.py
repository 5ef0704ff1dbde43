"""Refresh snapshots from the publishers: sources fetched concurrently, each series validated
before it is written, failures reported without touching the previous snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from . import store
from .errors import LoaderError, UpstreamError, ValidationError
from .http import Http, redact_text, redact_url
from .metadata import Catalog, read_catalog
from .sources import SOURCES

LOCK_NAME = ".refresh.lock"


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


def refresh_series(http: Http, catalog: Catalog, data_dir: Path, series_id: str) -> Outcome:
    """Fetch, parse, validate and (if changed) write one series; never raises, whatever the answer was."""
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
        }
        changed = store.write_snapshot(data_dir, catalog, series_id, frame, provenance)
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
) -> list[Outcome]:
    """Refresh the targets (series ids or sources; all when empty) and return one Outcome per series.

    Sources run concurrently; series of one source run in order so a publisher sees one client.
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
    try:
        store.remove_stale_temp_files(data_dir)  # left by a refresh that was killed mid-write; we hold the lock
        with tqdm(
            total=len(series_ids), unit="series", disable=progress is False if progress is not None else None
        ) as bar:

            def run_source(ids: list[str]) -> list[Outcome]:
                outcomes = []
                for sid in ids:
                    outcome = refresh_series(http, catalog, data_dir, sid)
                    outcomes.append(outcome)
                    bar.set_postfix_str(sid[:40])
                    bar.update()
                    if on_outcome:
                        on_outcome(outcome)
                return outcomes

            with ThreadPoolExecutor(max_workers=max(1, len(by_source))) as pool:
                results = list(pool.map(run_source, by_source.values()))
    finally:
        lock.release()
    return [outcome for group in results for outcome in group]


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
