"""Targets and report sections of the deployment's measurements (``phone``, ``scripts``, ``proxy_classroom``)."""

from __future__ import annotations

from .report import MB, Verdict


def verdicts(results: dict) -> list[Verdict]:
    out: list[Verdict] = []
    phone = results.get("phone")
    if phone:
        proxy, direct, ref = (phone[k]["first_chart_ms"]["median"] for k in ("proxy", "direct", "reference"))
        out.append(
            Verdict(
                "First chart on a slow-4G phone, through the proxy (cold, median)",
                f"{proxy / 1000:.1f} s = {phone['proxy_ratio']}× reference ({ref / 1000:.1f} s); "
                f"directly {direct / 1000:.1f} s = {phone['direct_ratio']}×; "
                f"{phone['proxy']['bytes']['median'] / MB:.2f} MB vs "
                f"{phone['reference']['bytes']['median'] / MB:.2f} MB",
                "≤ 0.4× reference served directly",
                phone["proxy_ratio"] <= 0.4,
            )
        )
    else:
        out.append(Verdict("First chart on a slow-4G phone, through the proxy", "-", "≤ 0.4× reference", None))
    room = results.get("proxy_classroom")
    if room:
        steady, killed = room["steady"], room["replica_killed"]
        out.append(
            Verdict(
                f"Classroom through the proxy: {steady['students']} sessions on 2 replicas",
                f"{steady['errors'] + steady['failed_changes']} errors; "
                f"p95 {steady['latency_ms'].get('p95', 0):.0f} ms",
                "no errors; p95 < 2 s",
                steady["errors"] + steady["failed_changes"] == 0 and steady["latency_ms"].get("p95", 1e9) < 2000,
            )
        )
        outage = killed["outage_s"]
        out.append(
            Verdict(
                "The same, one replica killed half-way",
                f"{killed['failed_changes']} changes failed, {killed['students_interrupted']} students back after "
                f"{outage.get('median', 0):.1f} s (max {outage.get('max', 0):.1f} s); "
                f"p95 {killed['latency_ms'].get('p95', 0):.0f} ms, {killed['errors']} errors",
                "its sessions come back on the other replica",
                killed["errors"] == 0 and killed["students_interrupted"] == killed["failed_changes"] > 0,
            )
        )
    return out


def details(results: dict) -> list[str]:
    lines: list[str] = []
    phone = results.get("phone")
    if phone:
        net = phone["network"]
        lines += [
            "",
            "## 8. First chart on a slow phone network",
            "",
            f"Headless Chromium as a phone ({phone['viewport']['width']}×{phone['viewport']['height']}, phone user "
            f"agent), throttled by CDP `Network.emulateNetworkConditions`: {net['downloadThroughput'] * 8 / 1e6:.1f} "
            f"Mbit/s down, {net['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up, {net['latency']} ms latency; a fresh "
            "context (empty cache) per load. Bytes: HTTP responses (headers and body as sent) and websocket "
            "messages until the first chart drew.",
            "",
            "| served by | first chart (median) | runs | bytes until then (median) |",
            "|---|---|---|---|",
        ]
        for name, label in (
            ("proxy", "nginx + 2 replicas (deploy/local.sh)"),
            ("direct", "Streamlit directly"),
            ("reference", "reference app, Streamlit directly"),
        ):
            r = phone[name]
            lines.append(
                f"| {label} | {r['first_chart_ms']['median'] / 1000:.1f} s | {r['first_chart_ms']['n']} | "
                f"{r['bytes']['median'] / MB:.2f} MB |"
            )
    scripts = results.get("scripts")
    if scripts:
        lines += [
            "",
            "## 9. Scripts each page makes a browser fetch",
            "",
            "JavaScript on the wire for a first visit to each page alone (empty cache), directly and through the "
            f"proxy; {scripts['shared_files']} files are fetched by every page. The largest files only some "
            "pages fetch:",
            "",
            "| page | directly | through the proxy | largest files not every page needs |",
            "|---|---|---|---|",
        ]
        for name, s in scripts["pages"].items():
            own = ", ".join(f"{f} {n / MB:.2f} MB" for f, n in list(s["only_some_pages"].items())[:3]) or "-"
            lines.append(f"| {name} | {s['direct_bytes'] / MB:.2f} MB | {s['proxy_bytes'] / MB:.2f} MB | {own} |")
    room = results.get("proxy_classroom")
    if room:
        lines += ["", "## 10. Classroom through the proxy", ""]
        for name, r in room.items():
            lat = r["latency_ms"]
            lines.append(
                f"- {name.replace('_', ' ')}: {r['students']} sessions, a change every {r['interval_s']:g} s for "
                f"{r['seconds']:g} s: {r['interactions']} answered changes of {r['expected_interactions']} planned, "
                f"median {lat.get('median', 0):.0f} ms, p95 {lat.get('p95', 0):.0f} ms; errors {r['errors']}; "
                f"failed changes {r['failed_changes']}"
                + (
                    f"; replica killed after {r['killed_after_s']} s, {r['students_interrupted']} students "
                    f"interrupted, back after {r['outage_s'].get('median', 0):.1f} s median, "
                    f"{r['outage_s'].get('max', 0):.1f} s max"
                    if "killed_after_s" in r
                    else ""
                )
            )
            lines += [f"  - {e}" for e in r.get("failure_examples", [])[:3] + r.get("error_examples", [])[:3]]
    return lines
