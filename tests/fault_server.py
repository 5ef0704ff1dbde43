"""A fault-injecting stand-in for the publishers, the answers it can give instead of the good one, and the
fast client and helpers the reliability tests drive it with.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loaders.http import Http
from loaders.metadata import read_catalog
from loaders.sources import SOURCES
from tests.conftest import FakeHttp
from tests.publishers import PUBLISHERS, ROUTES, PublisherServer

Answer = tuple[int, dict, bytes]
Handler = Callable[[dict], Answer]

HOSTS = {source: route[0] for source, (_, route, _) in PUBLISHERS.items()}
ROUTE = {source: route for source, (_, route, _) in PUBLISHERS.items()}
SERIES = {source: series for source, (series, _, _) in PUBLISHERS.items()}
FAST = {"timeout": (1.0, 1.0), "retries": 2, "backoff": 0.01}


def fast_http(base_url: str | None, **kwargs) -> Http:
    """The client the fault tests use: 1 s timeouts, 2 retries, 10 ms backoff (and any override)."""
    return Http(mirror=base_url, **(FAST | kwargs))


class _Asked(Exception):
    """Stops a fetch at its first request."""


def _stop(url: str) -> bytes:
    raise _Asked(url)


def live_url(data_dir: Path, source: str) -> str:
    """The live URL a failure line must name for the source's series in a small data folder: its fetch's first."""
    http = FakeHttp(_stop)
    try:
        SOURCES[source].fetch(read_catalog(data_dir).series[SERIES[source]], http)
    except _Asked:
        pass
    return http.urls[0]


def snapshot_files(data_dir: Path) -> dict[str, bytes]:
    """Every snapshot and sidecar, by name, as bytes."""
    return {
        p.name: p.read_bytes()
        for p in sorted((Path(data_dir) / "snapshots").glob("*"))
        if p.suffix in (".csv", ".json")
    }


def temp_files(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (Path(data_dir) / "snapshots").glob(".*.tmp"))


def closed_port() -> int:
    """A loopback port nobody listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], bool], seconds: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def patched_cli_http(monkeypatch, **kwargs) -> None:
    """Make ``python -m loaders refresh`` (main()) build the fast client instead of the patient one."""
    import loaders.__main__ as cli

    monkeypatch.setattr(cli, "Http", functools.partial(Http, **(FAST | kwargs)))


def refuse_host(monkeypatch, host: str) -> None:
    """Send every request for ``host`` to a loopback port nobody listens on (connection refused)."""
    import loaders.http as http

    real, dead = http.mirror_url, f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setattr(
        http, "mirror_url", lambda url, mirror: real(url, dead if urlsplit(url).netloc == host else mirror)
    )


@dataclass
class Raw:
    """A route that writes to the socket itself (for faults below HTTP: a cut body, a drip, no length)."""

    write: Callable[[object, threading.Event], None]


class FaultServer(PublisherServer):
    """The fake publishers, plus: ``Raw`` routes, a ``released`` event that hanging handlers wait on,
    per-source request counts, and no tracebacks when a client gives up on an answer."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()
        server, base = self, self.httpd.RequestHandlerClass

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                host, _, rest = urlsplit(self.path).path.lstrip("/").partition("/")
                route = server.routes.get((host, "/" + rest))
                if isinstance(route, Raw):
                    server.requests.append(self.path)
                    try:
                        route.write(self, server.released)
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                try:
                    super().do_GET()
                except OSError:  # the client hung up first (timeouts, size limits): expected here
                    self.close_connection = True

        self.httpd.RequestHandlerClass = Handler
        self.httpd.handle_error = lambda request, address: None
        # Poll for shutdown every 20 ms (not 0.5 s): a server per test stays cheap.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        super().__exit__(*exc)

    def count(self, source: str) -> int:
        """Requests that reached the source's host so far."""
        return sum(1 for path in self.requests if path.lstrip("/").startswith(HOSTS[source] + "/"))

    def good(self, source: str) -> Handler:
        return ROUTES[ROUTE[source]]


def status(code: int, body: bytes = b"", headers: dict | None = None) -> Handler:
    return lambda query: (code, headers or {}, body)


def in_turn(*answers: Answer | None, then: Handler) -> Handler:
    """These answers, one per request, then the good handler for ever after."""
    queue = list(answers)
    lock = threading.Lock()

    def handler(query: dict) -> Answer:
        with lock:
            answer = queue.pop(0) if queue else None
        return answer or then(query)

    return handler


def hang(released: threading.Event, then: Handler, seconds: float = 5.0) -> Handler:
    """Answer only after ``seconds`` (or when the test ends): past any read timeout the tests use."""

    def handler(query: dict) -> Answer:
        released.wait(seconds)
        return then(query)

    return handler


def edit_json(good: Handler, edit: Callable[[object], object]) -> Handler:
    """The good answer, parsed, changed by ``edit`` (which may change it in place and return None)."""

    def handler(query: dict) -> Answer:
        code, headers, body = good(query)
        doc = json.loads(body)
        changed = edit(doc)
        return code, headers, json.dumps(doc if changed is None else changed).encode()

    return handler


def edit_bytes(good: Handler, edit: Callable[[bytes], bytes]) -> Handler:
    def handler(query: dict) -> Answer:
        code, headers, body = good(query)
        return code, headers, edit(body)

    return handler


HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n"
    b"<body><h1>Service Temporarily Unavailable</h1><p>The server is down for maintenance.</p></body></html>\n"
)


def cut_mid_body(handler, released: threading.Event) -> None:
    """Promise 10,000 bytes, send 100, hang up."""
    handler.send_response(200)
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    handler.wfile.write(b"observation_date,DCOILWTICO\n" + b"2020-01-02,61.17\n" * 4)
    handler.wfile.flush()


def endless_undeclared(handler, released: threading.Event) -> None:
    """No Content-Length; keep sending until the client hangs up (HTTP/1.0: the body ends at close)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    chunk = b'{"padding": "' + b"x" * 16_000 + b'"}\n'
    while not released.is_set():
        handler.wfile.write(chunk)


def drip(handler, released: threading.Event) -> None:
    """A valid start, then one byte every 50 ms for ever: never a read timeout, never an end."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/csv")
    handler.end_headers()
    handler.wfile.write(b"observation_date,DCOILWTICO\n")
    while not released.wait(0.05):
        handler.wfile.write(b"1")
        handler.wfile.flush()


def hang_up(handler, released: threading.Event) -> None:
    """Read the request, answer nothing, close the connection."""
