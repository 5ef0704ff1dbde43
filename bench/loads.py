"""Cold loads and interactions in headless Chromium, the dashboard and the reference app side by side.

Runs alternate between the two apps so that a busy moment of the machine falls on both alike.
"""

from __future__ import annotations

import random

from playwright.sync_api import sync_playwright

from . import browser_runs as br
from .server import serve
from .stats import ratio, summary

# Controls of Explore that choose what is drawn (series, transform, range of years), by label; tried first.
PREFERRED = ("series", "show", "mostrar", "transform", "years", "años", "range")


def _preferred(label: str) -> bool:
    words = label.lower().replace("—", " ").split()
    return bool(words) and words[0] in PREFERRED


def cold_loads(runs: int, log) -> dict:
    """Overview of the dashboard vs the reference app: ms until the first chart and until all charts drew."""
    with serve("dashboard.py") as app, serve("bench/reference_app.py") as ref, sync_playwright() as p:
        browser = br.launch(p)
        urls = {"dashboard": f"{app.base}/?lang=en", "reference": f"{ref.base}/"}
        expected = {name: br.count_charts(browser, url) for name, url in urls.items()}  # also warms server caches
        log(f"  charts drawn: {expected}")
        loads: dict[str, list[br.Load]] = {name: [] for name in urls}
        for i in range(runs):
            for name in list(urls) if i % 2 == 0 else list(reversed(urls)):
                loads[name].append(br.cold_load(browser, urls[name], expected[name]))
            last = ", ".join(f"{n} {v[-1].first_ms:.0f}/{v[-1].all_ms:.0f} ms" for n, v in loads.items())
            log(f"  run {i + 1}/{runs} (first/all charts): {last}")
        browser.close()
    out = {
        name: {
            "charts": expected[name],
            "first_chart_ms": summary([x.first_ms for x in values], 0),
            "all_charts_ms": summary([x.all_ms for x in values], 0),
        }
        for name, values in loads.items()
    }
    dash, ref = out["dashboard"], out["reference"]
    out["first_chart_ratio"] = ratio(dash["first_chart_ms"]["median"], ref["first_chart_ms"]["median"])
    out["all_charts_ratio"] = ratio(dash["all_charts_ms"]["median"], ref["all_charts_ms"]["median"])
    return out


def interactions(count: int, log, explore_query: str = "lang=en") -> dict:
    """``count`` control changes on Explore and on the reference app: ms from the click to the redrawn chart."""
    rng = random.Random(7)
    out: dict = {}
    with serve("dashboard.py") as app, serve("bench/reference_app.py") as ref, sync_playwright() as p:
        browser = br.launch(p)
        pages = {
            "dashboard": br.open_page(browser, f"{app.base}/explore?{explore_query}"),
            "reference": br.open_page(browser, f"{ref.base}/"),
        }
        controls = {name: br.find_controls(page) for name, page in pages.items()}
        preferred = [c for c in controls["dashboard"] if _preferred(c.label)]
        controls["dashboard"] = preferred or controls["dashboard"]
        log(f"  Explore controls used: {', '.join(map(str, controls['dashboard'])) or 'none found'}")
        times: dict[str, list[float]] = {name: [] for name in pages}
        server: dict[str, list[float]] = {name: [] for name in pages}
        drawing: dict[str, list[float]] = {name: [] for name in pages}
        by_control: dict[str, list[float]] = {}
        failures: list[str] = []
        for i in range(count):
            for name in list(pages) if i % 2 == 0 else list(reversed(pages)):
                if not controls[name]:
                    continue
                control = controls[name][i % len(controls[name])]
                try:
                    change = br.timed_change(pages[name], control, rng, timeout_ms=15_000)
                except Exception as e:  # noqa: BLE001 - a failed interaction is reported, not fatal
                    failures.append(f"{name}: {control}: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
                    br.wait_idle(pages[name])
                    continue
                times[name].append(change.ms)
                if change.server_ms is not None:
                    server[name].append(change.server_ms)
                    drawing[name].append(change.ms - change.server_ms)
                if name == "dashboard":
                    by_control.setdefault(str(control), []).append(change.ms)
            if (i + 1) % 5 == 0:
                so_far = ", ".join(f"{n} median {summary(t).get('median')} ms" for n, t in times.items())
                log(f"  {i + 1}/{count}: {so_far}")
        browser.close()
    out = {name: summary(values, 0) for name, values in times.items()}
    out["until_last_message_ms"] = {name: summary(values, 0) for name, values in server.items()}
    out["drawing_after_it_ms"] = {name: summary(values, 0) for name, values in drawing.items()}
    out["by_control"] = {name: summary(values, 0) for name, values in by_control.items()}
    out["controls"] = {name: [str(c) for c in cs] for name, cs in controls.items()}
    out["failures"] = failures
    out["ratio"] = ratio(out["dashboard"].get("median"), out["reference"].get("median"))
    return out
