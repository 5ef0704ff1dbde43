"""A class through the deployment: sessions spread by nginx over two replicas, once with one killed half-way.

Each student is a ``wsclient.Session`` on the proxy, as in ``classroom.py``, but one that comes
back like Streamlit's own frontend: when its connection drops it opens a new one (nginx sends it
to a replica that answers) and carries on from the same page. A change that gets no answer, or
whose connection drops, counts as failed; a student's outage runs from its first failed change to
its next answered one.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time

from .deployment import Deployment, local_deployment
from .stats import latency_summary, summary
from .wsclient import Session

PAGE = ("explore", "lang=en")


def _changeable(widgets: list) -> list:
    return [w for w in widgets if "language_choice" not in w.id and not w.proto.disabled]


async def _student(base: str, n: int, interval: float, until: float, results: dict) -> None:
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, interval))  # students do not click in step
    tick = time.monotonic()
    down_since: float | None = None
    while time.monotonic() < until:
        try:
            async with Session(base) as session:
                first = await session.open_page(*PAGE, timeout=30)
                widgets = _changeable(first.widgets)
                while time.monotonic() < until:
                    tick += interval
                    await asyncio.sleep(max(0.0, tick - time.monotonic()))
                    widget = rng.choice(widgets)
                    what = session.change(widget, rng)
                    run = await session.rerun(timeout=30)
                    results["latency_ms"].append(run.seconds * 1000)
                    results["errors"] += [f"student {n}: {what}: {e}" for e in run.exceptions]
                    if down_since is not None:
                        results["outages_s"].append(time.monotonic() - down_since)
                        down_since = None
                    widgets = _changeable(run.widgets) or widgets
        except Exception as e:  # noqa: BLE001 - a dropped connection: count the change, come back
            results["failed_changes"] += 1
            results["failures"].append(f"student {n}: {type(e).__name__}: {str(e)[:120]}")
            down_since = down_since or time.monotonic()
            await asyncio.sleep(1.0)  # Streamlit's frontend also waits before it reconnects


async def _class(deployment: Deployment, students: int, seconds: float, interval: float, kill_at: float | None):
    results: dict = {"latency_ms": [], "errors": [], "failures": [], "failed_changes": 0, "outages_s": []}
    start = time.monotonic()
    until = start + interval + seconds

    async def kill_one() -> None:
        await asyncio.sleep(interval + kill_at)
        pid = deployment.replica_pid(deployment.replica_ports[0])
        results["killed_after_s"] = round(time.monotonic() - start, 1)
        os.kill(pid, signal.SIGKILL)  # a crash, not a shutdown

    tasks = [_student(deployment.base, n, interval, until, results) for n in range(students)]
    if kill_at is not None:
        tasks.append(kill_one())
    await asyncio.gather(*tasks)
    return results


async def _warm(deployment: Deployment) -> None:
    """Open the page once on each replica directly, so the class meets warm caches as in ``classroom.py``."""
    for port in deployment.replica_ports:
        async with Session(f"http://127.0.0.1:{port}") as session:
            await session.open_page(*PAGE, timeout=60)


def _summary(results: dict, students: int, seconds: float, interval: float) -> dict:
    latencies = results["latency_ms"]
    outages = results["outages_s"]
    return {
        "students": students,
        "seconds": seconds,
        "interval_s": interval,
        "interactions": len(latencies),
        "expected_interactions": int(students * seconds / interval),
        "latency_ms": latency_summary(latencies),
        "errors": len(results["errors"]),
        "error_examples": sorted(set(results["errors"]))[:5],
        "failed_changes": results["failed_changes"],
        "failure_examples": sorted(set(results["failures"]))[:5],
        "students_interrupted": len(outages),
        "outage_s": summary(outages, 1, samples=False) if outages else {"n": 0},
        **({"killed_after_s": results["killed_after_s"]} if "killed_after_s" in results else {}),
    }


def run(students: int, seconds: float, interval: float, log) -> dict:
    """The class on two replicas behind the proxy, then again with one replica killed half-way."""
    out = {}
    for name, kill_at in (("steady", None), ("replica_killed", seconds / 2)):
        with local_deployment(replicas=2) as deployment:
            asyncio.run(_warm(deployment))
            log(f"  {name}: {students} students via {deployment.base}, a change every {interval:g} s for {seconds:g} s")
            results = asyncio.run(_class(deployment, students, seconds, interval, kill_at))
        out[name] = _summary(results, students, seconds, interval)
        s = out[name]
        log(
            f"  {name}: {s['interactions']} changes, p95 {s['latency_ms'].get('p95')} ms, errors {s['errors']}, "
            f"failed {s['failed_changes']}, outage {s['outage_s']}"
        )
    return out
