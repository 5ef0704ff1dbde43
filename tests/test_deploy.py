"""The deployment of deploy/local.sh: nginx in front of two Streamlit replicas, as a reader meets it.

One deployment serves the whole module (starting it costs seconds); the test that kills a replica
and the one that stops everything come last, in file order.
"""

from __future__ import annotations

import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from bench.deployment import local_deployment, missing
from tests.browser import CHROMIUM_ARGS, chromium_path, exception_texts, wait_until_drawn

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")
browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed")
MAIN_AND_PLOTLY = re.compile(r"/static/js/(index|PlotlyChart)\.[\w-]+\.js$")
EXPLORE = "/explore?series=inflation_avg_imf_pct&lang=en"


@pytest.fixture(scope="module")
def deployment():
    with local_deployment(replicas=2) as running:
        yield running


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def get(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET; a failed status is returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def affinity_cookie(headers) -> str:
    cookie = next(c for c in headers.get_all("Set-Cookie") or [] if c.startswith("stsrv="))
    return cookie.split(";", 1)[0]


def test_static_javascript_is_compressed_and_cached_for_a_year(deployment):
    _, _, page = get(deployment.base + "/")
    main = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', page).group(1).decode()
    plain = int(get(f"{deployment.base}/{main}")[1]["Content-Length"])
    for encoding in ("gzip", "br"):
        status, headers, body = get(f"{deployment.base}/{main}", {"Accept-Encoding": encoding})
        assert status == 200 and headers["Content-Encoding"] == encoding
        assert len(body) < plain / 3, (encoding, len(body), plain)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_page_tells_the_browser_to_fetch_plotly_at_once(deployment):
    link = get(deployment.base + "/explore")[1]["Link"]
    chunk = re.fullmatch(r"<(/static/js/PlotlyChart\.[\w-]+\.js)>; rel=modulepreload", link).group(1)
    assert get(deployment.base + chunk, {"Accept-Encoding": "br"})[0] == 200
    assert get(deployment.base + "/_stcore/health")[1]["Link"] is None


def test_internal_metrics_are_not_served(deployment):
    assert get(deployment.base + "/_stcore/metrics")[0] == 404


def test_a_reader_stays_on_one_replica_and_new_readers_spread(deployment):
    replicas = {f"127.0.0.1:{port}" for port in deployment.replica_ports}
    first = [get(deployment.base + "/")[1] for _ in range(16)]
    assert {h["X-Upstream"] for h in first} == replicas, "16 new readers all went to one replica"
    for headers in first[:4]:
        cookie = affinity_cookie(headers)
        again = {get(deployment.base + path, {"Cookie": cookie})[1]["X-Upstream"] for path in ("/", "/explore") * 3}
        assert again == {headers["X-Upstream"]}, cookie


@browser
@needs_chromium
def test_the_page_loads_through_the_proxy_with_compressed_script_and_a_websocket(deployment, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    scripts, sockets = {}, []
    page.on("response", lambda r: scripts.update({r.url: r.headers}) if r.url.endswith(".js") else None)
    page.on("websocket", lambda socket: sockets.append(socket))
    try:
        page.goto(deployment.base + "/?lang=en")
        wait_until_drawn(page, charts=4)
        assert not exception_texts(page)
        assert [s.url for s in sockets] == [deployment.base.replace("http", "ws") + "/_stcore/stream"]
        assert not sockets[0].is_closed()
        big = {url: h.get("content-encoding") for url, h in scripts.items() if MAIN_AND_PLOTLY.search(url)}
        assert len(big) == 2 and set(big.values()) <= {"gzip", "br"}, big  # the main bundle and Plotly's
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert "stsrv" in cookies
    finally:
        context.close()


# Wraps the page's WebSocket so the test can drop the connection the way a lost signal does.
SOCKET_HANDLE = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
})()"""


# What the chart says: its legend and its axis labels.
CHART_TEXT = """() => Array.from(document.querySelectorAll(
  '.js-plotly-plot .legendtext, .js-plotly-plot .xtick text, .js-plotly-plot .ytick text'
)).map(e => e.textContent).join('|')"""


@browser
@needs_chromium
def test_a_reader_offline_for_30_seconds_comes_back_to_the_same_chart(deployment, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 1000})
    context.add_init_script(SOCKET_HANDLE)
    page = context.new_page()
    try:
        page.goto(deployment.base + EXPLORE)
        wait_until_drawn(page)
        address = page.url
        chart = page.evaluate(CHART_TEXT)
        assert "Venezuela" in chart
        context.set_offline(True)  # keeps open sockets open: close it as a dropped signal would
        page.evaluate("() => window.__sockets.forEach(s => s.close())")
        page.wait_for_selector("text=Connection error", timeout=20_000)
        time.sleep(30 - 5)
        context.set_offline(False)
        page.wait_for_function(
            "() => window.__sockets.length > 1 && window.__sockets.at(-1).readyState === 1", timeout=30_000
        )
        page.wait_for_selector("text=Connection error", state="detached", timeout=30_000)
        wait_until_drawn(page)
        assert page.url == address
        assert page.evaluate(CHART_TEXT) == chart
        assert not exception_texts(page)
        page.reload()  # or the reader reloads: the address alone brings the chart back
        wait_until_drawn(page)
        assert page.evaluate(CHART_TEXT) == chart
        assert not exception_texts(page)
    finally:
        context.close()


@browser
@needs_chromium
def test_when_a_replica_dies_new_readers_still_get_the_page(deployment, chromium):
    dead, alive = deployment.replica_ports
    dead_pid = deployment.replica_pid(dead)
    signal_and_wait(dead_pid)
    answers = [get(deployment.base + "/") for _ in range(8)]
    assert all(status == 200 for status, _, _ in answers)
    assert {h["X-Upstream"].split(", ")[-1] for _, h, _ in answers} == {f"127.0.0.1:{alive}"}
    # After the first failures (a worker may still hold a kept-alive connection to it) nginx stops
    # trying the dead replica: no later answer names it.
    tried = [h["X-Upstream"] for _, h, _ in answers]
    assert all(f":{dead}" not in upstream for upstream in tried[4:]), tried
    context = chromium.new_context(viewport={"width": 1200, "height": 1000})
    try:
        page = context.new_page()
        page.goto(deployment.base + EXPLORE)
        wait_until_drawn(page)
        assert not exception_texts(page)
    finally:
        context.close()


def signal_and_wait(pid: int, timeout_s: float = 15) -> None:
    """Kill ``pid`` outright (a crash, not a shutdown) and wait until it is gone."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout_s
    while Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/status").read_text().find("State:\tZ") < 0:
        assert time.monotonic() < deadline, f"process {pid} still running"
        time.sleep(0.1)


def test_sigterm_to_the_process_group_stops_everything(deployment):
    ports = deployment.replica_ports
    pids = [deployment.replica_pid(port) for port in ports[1:]]  # the first replica was killed above, or not
    assert deployment.stop(signal.SIGTERM) == 143
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
    for port in [int(deployment.base.rsplit(":", 1)[1]), *ports]:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)  # noqa: S310
