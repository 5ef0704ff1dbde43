"""A class on one small server: many sessions at once, each changing a control every two seconds.

Each student is a light websocket client (``wsclient.Session``) speaking Streamlit's own protocol,
so the load generator costs little next to the server it loads (30 headless browsers would starve
2 cores by themselves). A student opens Explore, then every ``interval`` seconds gives one of its
controls a new value and waits for the script to finish; latency is from sending the change to
``script_finished``. Errors are exceptions or error boxes in a run, timeouts and dropped connections.
"""

from __future__ import annotations

import asyncio
import random
import time

from .server import serve
from .stats import latency_summary
from .wsclient import Session

FALLBACK = ("", "lang=en")  # Overview with its language control, if Explore has no control to change


async def _student(
    base: str, n: int, page: tuple[str, str], interval: float, until: float, results: dict, ready: asyncio.Event
) -> None:
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, interval))  # students do not click in step
    try:
        async with Session(base) as session:
            first = await session.open_page(*page)
            results["errors"] += [f"student {n} open: {e}" for e in first.exceptions]
            widgets = [w for w in first.widgets if "language_choice" not in w.id] or first.widgets
            widgets = [w for w in widgets if not getattr(w.proto, "disabled", False)]
            ready.set()
            tick = time.monotonic()
            while time.monotonic() < until:
                tick += interval
                widget = rng.choice(widgets)
                what = session.change(widget, rng)
                try:
                    run = await session.rerun(timeout=30)
                except TimeoutError:
                    results["errors"].append(f"student {n}: no answer within 30 s to {what}")
                    continue
                results["latency_ms"].append(run.seconds * 1000)
                results["changes"][widget.kind] = results["changes"].get(widget.kind, 0) + 1
                results["errors"] += [f"student {n}: {what}: {e}" for e in run.exceptions]
                # Every widget of this run (the unchanged ones arrive as references to cached messages).
                widgets = [w for w in run.widgets if "language_choice" not in w.id and not w.proto.disabled] or widgets
                await asyncio.sleep(max(0.0, tick - time.monotonic()))
    except Exception as e:  # noqa: BLE001 - a dropped student is an error to report
        results["errors"].append(f"student {n}: {type(e).__name__}: {e}")


async def _class(base: str, students: int, seconds: float, interval: float, page: tuple[str, str]) -> dict:
    results: dict = {"latency_ms": [], "errors": [], "changes": {}}
    until = time.monotonic() + interval + seconds
    ready = asyncio.Event()
    await asyncio.gather(*(_student(base, n, page, interval, until, results, ready) for n in range(students)))
    return results


def _page_with_controls(base: str) -> tuple[str, str]:
    async def probe() -> int:
        async with Session(base) as session:
            run = await session.open_page("explore", "lang=en")
            return len([w for w in run.widgets if "language_choice" not in w.id])

    return ("explore", "lang=en") if asyncio.run(probe()) else FALLBACK


def run(students: int, seconds: float, interval: float, log) -> dict:
    with serve("dashboard.py") as app:
        page = _page_with_controls(app.base)
        log(f"  {students} students on /{page[0]}?{page[1]}, a change every {interval:g} s for {seconds:g} s")
        cpu_before, wall_before = app.cpu_seconds(), time.monotonic()
        results = asyncio.run(_class(app.base, students, seconds, interval, page))
        cpu_used = app.cpu_seconds() - cpu_before
        cpu_share = cpu_used / (time.monotonic() - wall_before)
        rss = app.rss_mb()
    latencies = results["latency_ms"]
    errors = results["errors"]
    return {
        "students": students,
        "seconds": seconds,
        "interval_s": interval,
        "page": f"/{page[0]}?{page[1]}",
        "interactions": len(latencies),
        "expected_interactions": int(students * seconds / interval),
        "latency_ms": latency_summary(latencies),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:10],
        "changes_by_widget": results["changes"],
        "server_cpu_cores": round(cpu_share, 2),
        # Script runs share one interpreter (the GIL): about 1000 / this many changes per second at most.
        "server_cpu_ms_per_change": round(cpu_used * 1000 / max(1, len(latencies)), 1),
        "server_memory_mb": round(rss, 1),
    }
