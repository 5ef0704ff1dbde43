"""Run the benchmark: ``python -m bench [--quick] [--only NAME ...] [--profile]``.

Starts the dashboard and the reference app (``bench/reference_app.py``) on 127.0.0.1 and measures,
against the issue's targets:

  load         cold load of the Overview in headless Chromium: first chart, all charts
  interaction  control changes on Explore: click to redrawn chart
  rerun        server work per page rerun with a warm cache      } one pass over every page
  bytes        Plotly chart data sent per page                   } with the light websocket
  memory       server memory after every page was opened once    } client (``server``)
  refresh      all sources vs the slowest alone, against a mirror adding 200 ms per response;
               a second refresh must write no file
  classroom    30 concurrent sessions, a control change every 2 s for a minute
  phone        the Overview's first chart on a throttled phone: through deploy/local.sh's proxy,
               directly, and the reference app (needs nginx, as deploy/local.sh does)
  scripts      the JavaScript each page makes a browser fetch, directly and through the proxy
  proxy_classroom  60 sessions through the proxy on 2 replicas; again with one replica killed

Writes ``bench/report.json`` and ``bench/report.md``. With ``--only``, the named measurements are
run and merged into the existing report. ``--profile`` samples the server with py-spy during the
reruns and lists where its time went. A full run takes about 17 minutes on 2 cores; ``--quick``
about 10.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from tests.browser import chromium_path

from . import classroom, deployment, loads, phone, proxy_classroom, refresh_bench, report, server_pass
from .pages import dashboard_pages

HERE = Path(__file__).resolve().parent
GROUPS = {
    "load": "load",
    "interaction": "interaction",
    "rerun": "server",
    "bytes": "server",
    "memory": "server",
    "server": "server",
    "refresh": "refresh",
    "classroom": "classroom",
    "phone": "phone",
    "scripts": "scripts",
    "proxy_classroom": "proxy_classroom",
}
ORDER = ["server", "load", "interaction", "refresh", "classroom", "phone", "scripts", "proxy_classroom"]
BROWSER = {"load", "interaction", "phone", "scripts"}
DEPLOYED = {"phone", "scripts", "proxy_classroom"}
FULL = dict(reruns=10, loads=12, interactions=24, refresh_repeats=2, students=30, class_s=60)
FULL |= dict(phone_loads=3, proxy_students=60, proxy_class_s=60)
QUICK = dict(reruns=3, loads=3, interactions=6, refresh_repeats=1, students=30, class_s=15)
QUICK |= dict(phone_loads=1, proxy_students=60, proxy_class_s=20)


def log(message: str) -> None:
    print(message, flush=True)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    memory = next((int(line.split()[1]) / 1024**2 for line in meminfo if "MemTotal" in line), 0)
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}"


def software() -> str:
    chromium = "none"
    if chromium_path():
        run = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True, timeout=30)
        chromium = run.stdout.strip() or "unknown"
    packages = ", ".join(f"{p} {version(p)}" for p in ("streamlit", "plotly", "pandas", "playwright"))
    return f"Python {platform.python_version()}, {packages}, {chromium}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter classrooms (about 10 minutes)")
    parser.add_argument("--only", action="append", choices=sorted(GROUPS), help="run only this (repeatable)")
    parser.add_argument("--profile", action="store_true", help="sample the server with py-spy during the reruns")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for report.json and report.md (default bench/)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    chosen = [g for g in ORDER if not args.only or g in {GROUPS[name] for name in args.only}]
    if chromium_path() is None and BROWSER & set(chosen):
        log("Chromium not found (apt-get install chromium): skipping the browser measurements")
        chosen = [g for g in chosen if g not in BROWSER]
    if deployment.missing() and DEPLOYED & set(chosen):
        log(f"Skipping the measurements through the proxy: {deployment.missing()}")
        chosen = [g for g in chosen if g not in DEPLOYED]

    previous = args.out / "report.json"
    results = json.loads(previous.read_text()) if args.only and previous.exists() else {}
    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.monotonic()
    pages = dashboard_pages()
    measured = results.get("measured_at", {})
    failed = {k: v for k, v in results.get("failed", {}).items() if k not in chosen}
    for group in chosen:
        log(f"== {group}")
        t0 = time.monotonic()
        try:
            if group == "server":
                results["server"] = server_pass.run(pages, sizes["reruns"], log, profile=args.profile)
            elif group == "load":
                results["load"] = loads.cold_loads(sizes["loads"], log)
            elif group == "interaction":
                results["interaction"] = loads.interactions(sizes["interactions"], log)
            elif group == "refresh":
                results["refresh"] = refresh_bench.run(sizes["refresh_repeats"], log)
            elif group == "classroom":
                results["classroom"] = classroom.run(sizes["students"], sizes["class_s"], 2.0, log)
            elif group == "phone":
                results["phone"] = phone.first_chart(sizes["phone_loads"], log)
            elif group == "scripts":
                results["scripts"] = phone.page_scripts(pages, log)
            elif group == "proxy_classroom":
                results["proxy_classroom"] = proxy_classroom.run(
                    sizes["proxy_students"], sizes["proxy_class_s"], 2.0, log
                )
        except Exception as e:  # noqa: BLE001 - one broken measurement must not lose the others
            log(f"   FAILED: {type(e).__name__}: {e}")
            results.pop(group, None)
            failed[group] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        measured[group] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        log(f"   ({time.monotonic() - t0:.0f} s)")
    load_after = [round(x, 2) for x in os.getloadavg()]
    command = "python -m bench" + (" --quick" if args.quick else "") + "".join(f" --only {n}" for n in args.only or [])
    results["measured_at"] = measured
    results["failed"] = failed
    results["notes"] = [f"The {name} measurement failed: {why}" for name, why in failed.items()]
    results["meta"] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "mode": "quick" if args.quick else "full",
        "sizes": sizes,
        "duration_s": round(time.monotonic() - started, 1),
        "machine": machine(),
        "software": software(),
        "load_before": load_before,
        "load_after": load_after,
        "busy": load_before[0] > 1.0,
        "pages": [p.name + (" (placeholder)" if p.placeholder else "") for p in pages],
    }
    results["targets"] = [v.__dict__ for v in report.verdicts(results)]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")
    (args.out / "report.md").write_text(report.markdown(results), encoding="utf-8")
    log("")
    for v in report.verdicts(results):
        log(f"{v.mark:>14}  {v.name}: {v.value}  (target {v.target})")
    log(f"\nWrote {args.out / 'report.md'} and report.json in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
