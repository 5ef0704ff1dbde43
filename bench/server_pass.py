"""Server work per rerun, chart bytes per page and memory: one pass over every page with the light client.

For each page a fresh websocket session (an empty message cache, like a first visit) opens it once,
which counts the Plotly specs it is sent (the JSON the browser must parse; ``spec`` of every
``plotly_chart`` element, before websocket compression), then reruns it ``reruns`` times with the
same widget states: the time from the rerun request to ``script_finished`` is the server's work for
one rerun with a warm cache (the same number a browser's rerun costs the server). After every page
has been opened once, the server process's resident memory (VmRSS) is read.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from .server import serve
from .stats import ratio, summary
from .wsclient import Session

WTI = "oil_price_wti_daily_usd_per_barrel"
DAILY = [WTI, "oil_price_brent_daily_usd_per_barrel", "oil_price_opec_basket_daily_usd_per_barrel"]
# Extra Explore states: the longest series the dashboard can draw.
HEAVY = {
    "explore (WTI daily)": f"series={WTI}&lang=en",
    "explore (3 daily oil prices)": f"series={','.join(DAILY)}&lang=en",
}
MAX_CHART_BYTES = 1.5e6


async def _page(app, path: str, query: str, reruns: int, keep_specs: bool = False) -> dict:
    async with Session(app.base, keep_specs=keep_specs) as session:
        first = await session.open_page(path, query)
        times = []
        cpu_start = app.cpu_seconds()
        for _ in range(reruns):
            run = await session.rerun()
            times.append(run.seconds * 1000)
            first.exceptions += run.exceptions
        cpu_ms = (app.cpu_seconds() - cpu_start) * 1000 / max(1, reruns)
        return {
            "first_run_ms": round(first.seconds * 1000, 1),
            "rerun_ms": summary(times),
            "rerun_cpu_ms": round(cpu_ms, 1),
            "charts": len(first.plotly_specs),
            "chart_bytes": first.chart_bytes,
            "largest_chart_bytes": max(first.plotly_specs, default=0),
            "ws_bytes": first.bytes,
            "elements": first.elements,
            "errors": sorted(set(first.exceptions)),
            "_specs": first.specs,
        }


def run(pages, reruns: int, log, profile: bool = False) -> dict:
    """The pass over the dashboard's pages and the reference app's one page, each on a fresh server."""
    out: dict = {"pages": {}, "heavy": {}}
    with serve("dashboard.py") as app:
        for page in pages:
            result = asyncio.run(_page(app, page.path_in_url, "lang=en", reruns))
            result.pop("_specs")
            result["placeholder"] = page.placeholder
            out["pages"][page.name] = result
            log(
                f"  {page.name:<10} rerun median {result['rerun_ms'].get('median')} ms "
                f"(server CPU {result['rerun_cpu_ms']} ms), "
                f"{result['charts']} charts, {result['chart_bytes'] / 1e3:.0f} kB"
                + (f", errors: {result['errors']}" if result["errors"] else "")
            )
        time.sleep(1.0)
        out["memory_mb"] = round(app.rss_mb(), 1)
        for name, query in HEAVY.items():
            result = asyncio.run(_page(app, "explore", query, max(3, reruns // 3), keep_specs=True))
            specs = result.pop("_specs")
            if name == "explore (WTI daily)":
                result["extremes"] = extremes_check(specs)
            out["heavy"][name] = result
            log(f"  {name}: {result['chart_bytes'] / 1e3:.0f} kB, rerun median {result['rerun_ms'].get('median')} ms")
        out["memory_after_heavy_mb"] = round(app.rss_mb(), 1)
        if profile:
            out["profile"] = profile_reruns(app, pages, reruns, log)
    with serve("bench/reference_app.py") as ref:
        result = asyncio.run(_page(ref, "", "", reruns))
        result.pop("_specs")
        time.sleep(1.0)
        out["reference"] = result
        out["reference_memory_mb"] = round(ref.rss_mb(), 1)
    out["memory_ratio"] = ratio(out["memory_mb"], out["reference_memory_mb"])
    return out


def _values(array) -> list:
    """A Plotly JSON array: a list, or plotly.py's typed-array form ``{"dtype", "bdata"}``."""
    if isinstance(array, dict) and "bdata" in array:
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return values.tolist()
    return list(array or [])


def extremes_check(specs: list[str]) -> dict:
    """Are WTI's -36.98 close of 2020-04-20 and its 2008 peak among the drawn points?"""
    import loaders

    wti = loaders.load(WTI)
    in_2008 = wti[wti["date"].dt.year == 2008]
    peak = in_2008.loc[in_2008["value"].idxmax()]
    wanted = {
        "2020-04-20 close -36.98": ("2020-04-20", -36.98),
        f"2008 peak {peak['value']:g} on {peak['date']:%Y-%m-%d}": (f"{peak['date']:%Y-%m-%d}", float(peak["value"])),
    }
    points: set[tuple[str, float]] = set()
    drawn = 0
    for spec in specs:
        for trace in json.loads(spec).get("data", []):
            xs, ys = _values(trace.get("x")), _values(trace.get("y"))
            if len(xs) != len(ys):
                continue
            for x, y in zip(xs, ys, strict=True):
                if isinstance(x, str) and isinstance(y, int | float):
                    points.add((x[:10], round(float(y), 2)))
            drawn = max(drawn, len(xs))
    found = {name: (date, round(value, 2)) in points for name, (date, value) in wanted.items()}
    return {"found": found, "all_found": all(found.values()), "raw_rows": len(wti), "longest_trace_points": drawn}


def profile_reruns(app, pages, reruns: int, log, top: int = 25) -> list[tuple[str, float]]:
    """Sample the server with py-spy while every page reruns; the functions with the largest share of time."""
    if not shutil.which("py-spy"):
        log("  py-spy is not installed (pip install py-spy): no profile")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "profile.txt"
        spy = subprocess.Popen(
            ["py-spy", "record", "-p", str(app.pid), "-o", str(raw), "-f", "raw", "-r", "200", "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
        for page in pages:
            asyncio.run(_page(app, page.path_in_url, "lang=en", reruns))
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)
        return _top_functions(raw.read_text() if raw.exists() else "", top)


def _top_functions(raw: str, top: int) -> list[tuple[str, float]]:
    """Inclusive share of script-run samples per function (py-spy's raw 'frame;frame;... count' lines)."""
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not count.isdigit() or not any("_run_script " in f for f in frames):
            continue
        total += int(count)
        names = set()
        for frame in frames:
            name, _, where = frame.partition(" (")
            names.add(f"{name} ({where.split(':')[0].rsplit('/', 1)[-1]})")
        for name in names:
            inclusive[name] += int(count)
    skip = ("Thread", "_run_script", "exec_func_with_error_handling", "code_to_exec", "<module> (dashboard.py)")
    skip += ("Page.run", "wrapped_func (metrics_util.py)")
    ranked = [(n, c * 100 / total) for n, c in inclusive.most_common() if not any(k in n for k in skip)]
    return [(n, round(share, 1)) for n, share in ranked[:top]]
