"""A reader on a slow phone network, and the script bytes each page makes a browser fetch.

``first_chart``: cold loads of the Overview in headless Chromium with a 390×844 phone viewport and
a phone user agent, throttled by Chromium's own network emulation (CDP
``Network.emulateNetworkConditions``) to slow 4G: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency.
The dashboard through the proxy of ``deploy/local.sh``, the dashboard served by Streamlit
directly, and the bare reference app served directly, in turn. Bytes are what crossed the wire
until the first chart drew: every finished HTTP response (headers and compressed body, from
Resource Timing) and every websocket message.

``page_scripts``: every page opened once, unthrottled, directly and through the proxy, listing the
JavaScript files it fetched with their bytes on the wire.
"""

from __future__ import annotations

import time

from playwright.sync_api import sync_playwright

from . import browser_runs as br
from .deployment import local_deployment
from .server import serve
from .stats import ratio, summary

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    ),
}

# Installed before any page script: when the first chart has drawn, and the bytes received until then.
FIRST_CHART_MONITOR = """
(() => {
  const b = window.__phone = {first: null, bytes: null, ws: 0};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => { b.ws += m.data.byteLength || m.data.size || m.data.length || 0; });
    }
  };
  const http = () => performance.getEntries()
    .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
    .reduce((sum, e) => sum + (e.transferSize || 0), 0);
  const tick = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (gd._fullLayout && gd.querySelector('.main-svg .trace')) {
        b.first = performance.now(); b.bytes = http() + b.ws; return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()
"""


def throttled_first_chart(browser, url: str, timeout_ms: int = 180_000) -> tuple[float, int]:
    """(ms, bytes) until the first chart drew, cold cache, on the slow-4G phone."""
    context = browser.new_context(**PHONE)
    try:
        context.add_init_script(FIRST_CHART_MONITOR)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function("() => window.__phone.first !== null", timeout=timeout_ms, polling=500)
        marks = page.evaluate("() => window.__phone")
        return marks["first"], int(marks["bytes"])
    finally:
        context.close()


def first_chart(runs: int, log) -> dict:
    """The Overview's first chart on a slow phone: through the proxy, directly, and the reference app."""
    with (
        local_deployment(replicas=2) as proxy,
        serve("dashboard.py") as direct,
        serve("bench/reference_app.py") as reference,
        sync_playwright() as p,
    ):
        browser = br.launch(p)
        urls = {"proxy": f"{proxy.base}/?lang=en", "direct": f"{direct.base}/?lang=en", "reference": reference.base}
        for url in urls.values():
            br.count_charts(browser, url)  # warms the servers' caches, unthrottled
        times: dict[str, list[float]] = {name: [] for name in urls}
        sizes: dict[str, list[int]] = {name: [] for name in urls}
        for i in range(runs):
            for name in list(urls) if i % 2 == 0 else list(reversed(urls)):
                ms, size = throttled_first_chart(browser, urls[name])
                times[name].append(ms)
                sizes[name].append(size)
            log(
                f"  run {i + 1}/{runs}: "
                + ", ".join(f"{n} {t[-1] / 1000:.1f} s {sizes[n][-1] / 1e6:.2f} MB" for n, t in times.items())
            )
        browser.close()
    out: dict = {"network": SLOW_4G, "viewport": PHONE["viewport"], "user_agent": PHONE["user_agent"]}
    for name in urls:
        out[name] = {"first_chart_ms": summary(times[name], 0), "bytes": summary(sizes[name], 0)}
    reference_ms = out["reference"]["first_chart_ms"]["median"]
    out["proxy_ratio"] = ratio(out["proxy"]["first_chart_ms"]["median"], reference_ms)
    out["direct_ratio"] = ratio(out["direct"]["first_chart_ms"]["median"], reference_ms)
    return out


# The app has connected and its script has run to the end at least once.
SCRIPT_RAN = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED';
}"""


def scripts_of(browser, url: str) -> dict[str, int]:
    """The JavaScript files a first visit to ``url`` fetched, by file name, with their bytes on the wire."""
    context = browser.new_context(viewport=br.VIEWPORT)
    finished: list = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url)
        page.wait_for_function(SCRIPT_RAN, timeout=60_000)
        # Then until no new file has arrived for 2 s: a drawn element loads its chunk (Plotly's, the
        # syntax highlighter's) only after the script run has sent it.
        count, quiet_since = -1, time.monotonic()
        while time.monotonic() - quiet_since < 2:
            br.wait_idle(page, settle_ms=300)
            if len(finished) != count:
                count, quiet_since = len(finished), time.monotonic()
            page.wait_for_timeout(500)
        scripts = [r for r in list(finished) if r.url.endswith(".js")]
        return {r.url.rsplit("/", 1)[1]: r.sizes()["responseBodySize"] for r in scripts}
    finally:
        context.close()


def page_scripts(pages, log) -> dict:
    """Per page: the script bytes fetched directly and through the proxy, and the files only that page needs."""
    with local_deployment(replicas=1) as proxy, serve("dashboard.py") as direct, sync_playwright() as p:
        browser = br.launch(p)
        seen = {}
        for page in pages:
            path = f"/{page.path_in_url}?lang=en"
            direct_js, proxy_js = scripts_of(browser, direct.base + path), scripts_of(browser, proxy.base + path)
            seen[page.name] = {
                "direct_bytes": sum(direct_js.values()),
                "proxy_bytes": sum(proxy_js.values()),
                "files": direct_js,
            }
            mb = {"direct": sum(direct_js.values()) / 1e6, "proxy": sum(proxy_js.values()) / 1e6}
            log(
                f"  {page.name}: {len(direct_js)} scripts, {mb['direct']:.2f} MB direct, {mb['proxy']:.2f} MB via proxy"
            )
        browser.close()
    shared = set.intersection(*(set(s["files"]) for s in seen.values()))
    for s in seen.values():
        own = {f: n for f, n in s.pop("files").items() if f not in shared}
        s["only_some_pages"] = dict(sorted(own.items(), key=lambda kv: -kv[1])[:8])
    return {"pages": seen, "shared_files": len(shared)}
