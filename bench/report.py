"""The targets of the benchmark, judged on the results, and the Markdown report."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1e6


@dataclass
class Verdict:
    name: str
    value: str
    target: str
    met: bool | None  # None: not measured in this report
    note: str = ""

    @property
    def mark(self) -> str:
        return {True: "met", False: "**MISSED**", None: "not measured"}[self.met]


def _get(results: dict, *path, default=None):
    for key in path:
        if not isinstance(results, dict) or key not in results:
            return default
        results = results[key]
    return results


def verdicts(results: dict) -> list[Verdict]:
    """Every target of the issue, against this report's figures (never loosened)."""
    out: list[Verdict] = []
    load = results.get("load")
    if load:
        d, r = load["dashboard"], load["reference"]
        out.append(
            Verdict(
                "First chart of the Overview (cold load, median)",
                f"{d['first_chart_ms']['median']:.0f} ms = {load['first_chart_ratio']}× reference "
                f"({r['first_chart_ms']['median']:.0f} ms)",
                "≤ 1.2× reference",
                load["first_chart_ratio"] <= 1.2,
            )
        )
        out.append(
            Verdict(
                f"Whole Overview, all {d['charts']} charts (cold load, median)",
                f"{d['all_charts_ms']['median']:.0f} ms = {load['all_charts_ratio']}× reference "
                f"({r['all_charts_ms']['median']:.0f} ms)",
                "≤ 1.5× reference",
                load["all_charts_ratio"] <= 1.5,
            )
        )
    else:
        out += [Verdict("First chart / whole Overview (cold load)", "-", "≤ 1.2× / ≤ 1.5× reference", None)]
    inter = results.get("interaction")
    if inter and inter["dashboard"].get("n"):
        out.append(
            Verdict(
                f"Interaction on Explore (median of {inter['dashboard']['n']})",
                f"{inter['dashboard']['median']:.0f} ms = {inter['ratio']}× reference "
                f"({inter['reference']['median']:.0f} ms); p95 {inter['dashboard']['p95']:.0f} ms",
                "≤ 1.5× reference",
                inter["ratio"] is not None and inter["ratio"] <= 1.5,
                f"{len(inter['failures'])} interactions failed" if inter.get("failures") else "",
            )
        )
    else:
        note = "Explore has no control the driver can change" if inter else ""
        out.append(Verdict("Interaction on Explore", "-", "≤ 1.5× reference", None, note))
    server = results.get("server")
    if server:
        pages = {n: p for n, p in server["pages"].items() if p["rerun_ms"].get("n")}
        slow = {n: p["rerun_ms"]["median"] for n, p in pages.items() if p["rerun_ms"]["median"] >= 100}
        worst = max(pages, key=lambda n: pages[n]["rerun_ms"]["median"])
        out.append(
            Verdict(
                "Server rerun of every page, warm cache (median)",
                f"slowest: {worst} {pages[worst]['rerun_ms']['median']:.0f} ms"
                + (f"; over 100 ms: {', '.join(f'{n} {v:.0f} ms' for n, v in slow.items())}" if slow else ""),
                "< 100 ms on every page",
                not slow,
            )
        )
        sizes = {n: p["chart_bytes"] for n, p in {**server["pages"], **server.get("heavy", {})}.items()}
        big = {n: v for n, v in sizes.items() if v >= 1.5 * MB}
        largest = max(sizes, key=sizes.get)
        extremes = _get(server, "heavy", "explore (WTI daily)", "extremes")
        out.append(
            Verdict(
                "Chart data per page",
                f"largest: {largest} {sizes[largest] / MB:.2f} MB"
                + (f"; over 1.5 MB: {', '.join(big)}" if big else ""),
                "< 1.5 MB on every page",
                not big,
            )
        )
        if extremes:
            found = extremes["found"]
            out.append(
                Verdict(
                    "Extremes of WTI daily on Explore's chart",
                    "; ".join(f"{k}: {'drawn' if v else 'MISSING'}" for k, v in found.items())
                    + f" ({extremes['longest_trace_points']} of {extremes['raw_rows']} points drawn)",
                    "both drawn",
                    extremes["all_found"],
                )
            )
        out.append(
            Verdict(
                "Server memory after every page opened once",
                f"{server['memory_mb']:.0f} MB = {server['memory_ratio']}× reference "
                f"({server['reference_memory_mb']:.0f} MB)",
                "≤ 1.5× reference",
                server["memory_ratio"] <= 1.5,
            )
        )
    else:
        out.append(Verdict("Server rerun / chart data / memory", "-", "see issue", None))
    ref = results.get("refresh")
    if ref:
        out.append(
            Verdict(
                "Refresh of all sources (200 ms per response)",
                f"{ref['all_at_once_s']['median']:.2f} s = {ref['ratio_to_slowest']}× the slowest source alone "
                f"({ref['slowest_source']}, {ref['alone_s'][ref['slowest_source']]['median']:.2f} s)",
                "≤ 2× slowest single source",
                ref["ratio_to_slowest"] <= 2,
            )
        )
        written = ref["files_written_by_second_refresh"]
        out.append(
            Verdict(
                "Second refresh, nothing changed",
                f"{len(written)} files written, {ref['second_refresh_s']['median']:.2f} s"
                + (f" ({', '.join(written[:5])})" if written else ""),
                "writes no file",
                not written,
            )
        )
    else:
        out.append(Verdict("Refresh", "-", "≤ 2× slowest source; second writes nothing", None))
    room = results.get("classroom")
    if room:
        lat = room["latency_ms"]
        out.append(
            Verdict(
                f"Classroom: {room['students']} sessions, a change every {room['interval_s']:g} s",
                f"{room['errors']} errors; latency p95 {lat.get('p95', float('nan')):.0f} ms, "
                f"median {lat.get('median', float('nan')):.0f} ms ({room['interactions']} changes)",
                "no errors; p95 < 2 s",
                room["errors"] == 0 and lat.get("n", 0) > 0 and lat["p95"] < 2000,
            )
        )
    else:
        out.append(Verdict("Classroom", "-", "no errors; p95 < 2 s", None))
    from . import deploy_report  # here, not at the top: it builds on this module's Verdict

    return out + deploy_report.verdicts(results)


def markdown(results: dict) -> str:
    meta = results["meta"]
    lines = [
        "# Benchmark: the dashboard against a minimal Streamlit + Plotly app",
        "",
        f"Generated by `{meta['command']}` on {meta['date']} ({meta['mode']} run, {meta['duration_s']:.0f} s).",
        f"Machine: {meta['machine']}. Load average before/after: {meta['load_before']} / {meta['load_after']}"
        + (" (other work was running: absolute times are inflated; compare the ratios)." if meta["busy"] else "."),
        f"Software: {meta['software']}.",
        "",
        "The reference app (`bench/reference_app.py`) is the floor: one `st.plotly_chart` of one line with one "
        "vertical line and one select box that changes it, served by the same Streamlit with the same config. "
        "Browser figures are from headless Chromium (Playwright), timed in the page on animation frames; server "
        "figures from a light client that speaks Streamlit's websocket protocol (`bench/wsclient.py`).",
        "",
        "## Targets",
        "",
        "| figure | this run | target | |",
        "|---|---|---|---|",
    ]
    found = verdicts(results)
    for v in found:
        lines.append(f"| {v.name} | {v.value}{' — ' + v.note if v.note else ''} | {v.target} | {v.mark} |")
    missed = [v for v in found if v.met is False]
    lines += ["", "## In plain words", ""]
    if not missed:
        lines.append("Every measured target was met in this run.")
    for v in missed:
        lines.append(f"- Missed: {v.name[0].lower() + v.name[1:]}: {v.value}; the target is {v.target}.")
    for v in found:
        if v.met is None:
            lines.append(f"- Not measured: {v.name[0].lower() + v.name[1:]}" + (f" ({v.note})." if v.note else "."))
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    from . import deploy_report

    lines += _details(results) + deploy_report.details(results)
    return "\n".join(lines) + "\n"


def _row(name: str, s: dict, unit: str = "ms", digits: int = 0) -> str:
    if not s.get("n"):
        return f"| {name} | - | - | - |"
    return f"| {name} | {s['median']:.{digits}f} {unit} | {s['p95']:.{digits}f} {unit} | {s['n']} |"


def _details(results: dict) -> list[str]:
    lines: list[str] = []
    load = results.get("load")
    if load:
        lines += [
            "",
            "## 1. Cold load (Overview vs reference)",
            "",
            "A fresh browser context (empty HTTP cache) per run, the server already warm; from navigation until the "
            "first chart has drawn a trace, and until every chart has.",
            "",
            "| | median | p95 | runs |",
            "|---|---|---|---|",
            _row("dashboard: first chart", load["dashboard"]["first_chart_ms"]),
            _row(f"dashboard: all {load['dashboard']['charts']} charts", load["dashboard"]["all_charts_ms"]),
            _row("reference: its chart", load["reference"]["first_chart_ms"]),
        ]
    inter = results.get("interaction")
    if inter:
        lines += [
            "",
            "## 2. Interaction (Explore vs reference)",
            "",
            "From the click or key press that changes a control until a chart's drawn paths have changed.",
            "",
            "| | median | p95 | n |",
            "|---|---|---|---|",
            _row("dashboard, Explore", inter["dashboard"]),
            _row("reference, select box", inter["reference"]),
        ]
        for part, label in (
            ("until_last_message_ms", "until the server's last message"),
            ("drawing_after_it_ms", "drawing after it"),
        ):
            for app, name in (("dashboard", "Explore"), ("reference", "reference")):
                if part in inter:
                    lines.append(_row(f"{name}: {label}", inter[part][app]))
        lines += [_row(f"Explore: {name}", s) for name, s in inter.get("by_control", {}).items()]
        if inter.get("failures"):
            lines += ["", "Interactions that did not redraw a chart in time:", ""]
            lines += [f"- {f}" for f in inter["failures"][:10]]
    server = results.get("server")
    if server:
        lines += [
            "",
            "## 3-5. Server rerun, chart data, memory",
            "",
            "Per page, a first visit by a fresh session (empty message cache), then reruns with the same widget "
            "states: time from the rerun request to `script_finished`, and the server process's CPU time per "
            "rerun. Chart data: the Plotly JSON of every chart the page sends (uncompressed, before websocket "
            "compression).",
            "",
            "| page | rerun median | rerun p95 | server CPU per rerun | charts | chart data | errors |",
            "|---|---|---|---|---|---|---|",
        ]
        ref = server.get("reference")
        rows = {**server["pages"], **server.get("heavy", {}), **({"reference app": ref} if ref else {})}
        for name, p in rows.items():
            r = p["rerun_ms"]
            lines.append(
                f"| {name}{' (placeholder)' if p.get('placeholder') else ''} | {r.get('median', 0):.0f} ms | "
                f"{r.get('p95', 0):.0f} ms | {p.get('rerun_cpu_ms', 0):.0f} ms | {p['charts']} | "
                f"{p['chart_bytes'] / 1e3:.0f} kB | {len(p['errors'])} |"
            )
        lines += [
            "",
            f"Memory (VmRSS) after every page was opened once: {server['memory_mb']:.0f} MB; after the heavy Explore "
            f"states too: {server['memory_after_heavy_mb']:.0f} MB; reference app after its page: "
            f"{server['reference_memory_mb']:.0f} MB.",
        ]
        errors = {n: p["errors"] for n, p in rows.items() if p["errors"]}
        for name, errs in errors.items():
            lines.append(f"- errors on {name}: {'; '.join(errs)[:300]}")
        if server.get("profile"):
            lines += ["", "Where the server's time went during the reruns (py-spy, share of script-run samples):", ""]
            lines += ["| share | function |", "|---|---|"]
            lines += [f"| {share:.0f}% | `{fn}` |" for fn, share in server["profile"]]
    ref = results.get("refresh")
    if ref:
        lines += [
            "",
            f"## 6. Refresh (local mirror, +{ref['latency_ms']} ms per response)",
            "",
            "Each source alone, then all at once, each on a temporary copy of `data/` without snapshots; then "
            "all again on the filled copy (nothing changed).",
            "",
            "| | median | p95 | runs |",
            "|---|---|---|---|",
        ]
        lines += [_row(f"{name} alone", s, "s", 2) for name, s in ref["alone_s"].items()]
        lines += [
            _row("all at once", ref["all_at_once_s"], "s", 2),
            _row("again, nothing changed", ref["second_refresh_s"], "s", 2),
        ]
        if ref.get("failures"):
            lines += ["", "Failures: " + "; ".join(ref["failures"][:5])]
    room = results.get("classroom")
    if room:
        lat = room["latency_ms"]
        lines += [
            "",
            "## 7. Classroom",
            "",
            f"{room['students']} websocket sessions on `{room['page']}`, each changing a random control every "
            f"{room['interval_s']:g} s for {room['seconds']:g} s ({room['interactions']} changes of "
            f"{room['expected_interactions']} planned: {room['changes_by_widget']}). Latency from sending the change "
            f"to the end of the script run: median {lat.get('median', 0):.0f} ms, p95 {lat.get('p95', 0):.0f} ms, "
            f"p99 {lat.get('p99', 0):.0f} ms, max {lat.get('max', 0):.0f} ms. Errors: {room['errors']}. "
            f"Server CPU: {room['server_cpu_cores']} cores on average; "
            f"memory at the end {room['server_memory_mb']:.0f} MB. Each session sends back the query string "
            "the app last set, as a browser's address bar follows `st.query_params`, so every change reaches "
            "the script as a reader's click would.",
        ]
        per_change = room.get("server_cpu_ms_per_change")
        if per_change:
            needed = room["students"] / room["interval_s"]
            lines += [
                "",
                f"The server spent {per_change:.0f} ms of CPU per change. Script runs share one Python interpreter, "
                f"so it can answer at most about {1000 / per_change:.0f} changes a second; this class asks for "
                f"{needed:.0f} a second, so each change must cost well under {1000 / needed:.0f} ms of CPU "
                "(about half that to keep queues short).",
            ]
        lines += [f"- {e}" for e in room.get("error_examples", [])]
    return lines
