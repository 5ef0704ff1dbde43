"""Helpers for the reliability and security tests: a fault-injecting publisher server, the faults
themselves, byte-exact snapshot comparison, hostile strings, and the dashboard run in a subprocess
(AppTest) against another data folder.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from loaders.http import Http
from loaders.metadata import read_catalog
from loaders.sources import energy_institute, fred, imf, opec, unhcr, worldbank
from tests.publishers import REPO, ROUTES, SMALL_SERIES, PublisherServer, energy_institute_workbook

Answer = tuple[int, dict, bytes]
Handler = Callable[[dict], Answer]

HOSTS = {
    "worldbank": "api.worldbank.org",
    "imf": "www.imf.org",
    "fred": "fred.stlouisfed.org",
    "unhcr": "api.unhcr.org",
    "opec": "www.opec.org",
    "energy_institute": "www.energyinst.org",
}
ROUTE = {source: next(key for key in ROUTES if key[0] == host) for source, host in HOSTS.items()}
SERIES = {
    "worldbank": "inflation_cpi_wb_pct",
    "imf": "inflation_avg_imf_pct",
    "fred": "oil_price_wti_daily_usd_per_barrel",
    "unhcr": "displaced_abroad_from_ven_unhcr_persons",
    "opec": "oil_price_opec_basket_daily_usd_per_barrel",
    "energy_institute": "oil_production_ei_thousand_barrels_per_day",
}
assert sorted(SERIES.values()) == sorted(SMALL_SERIES)
FAST = {"timeout": (1.0, 1.0), "retries": 2, "backoff": 0.01}


def fast_http(base_url: str | None, **kwargs) -> Http:
    """The client the fault tests use: 1 s timeouts, 2 retries, 10 ms backoff (and any override)."""
    return Http(mirror=base_url, **(FAST | kwargs))


def live_url(data_dir: Path, source: str) -> str:
    """The live URL a failure line must name for the source's series in a small data folder."""
    entry = read_catalog(data_dir).series[SERIES[source]]
    return {
        "worldbank": lambda: worldbank.url(entry, 1),
        "imf": lambda: imf.url(entry),
        "fred": lambda: fred.url(entry),
        "unhcr": lambda: unhcr.page_url(1),
        "opec": lambda: opec.URL,
        "energy_institute": lambda: energy_institute.URL,
    }[source]()


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


# ---------------------------------------------------------------- the server
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


# ---------------------------------------------------------------- answers
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


# ---------------------------------------------------------------- the faults
@dataclass
class Fault:
    """One way an upstream answer goes wrong, injected into one source's route.

    ``cause`` is a regex the FAILED line must match; ``recovers`` faults end in success instead.
    ``requests`` is how many requests the source must have received (retries where they belong).
    """

    name: str
    source: str
    install: Callable[[FaultServer], Handler | Raw]
    cause: str = ""
    recovers: bool = False
    requests: int | None = None
    http: dict = field(default_factory=dict)
    refused: bool = False
    waited_at_least: float = 0.0
    url: str | None = None  # the live URL the line names, when not the source's first one

    @property
    def id(self) -> str:
        return f"{self.name}-{self.source}"


def _wb_obs(doc: list) -> list:
    return doc[1]


def _rename(key: str, new: str) -> Callable[[dict], None]:
    def edit(item: dict) -> None:
        item[new] = item.pop(key)

    return edit


def _each_wb(edit: Callable[[dict], None]) -> Callable[[list], None]:
    return lambda doc: [edit(obs) for obs in doc[1]] and None


def _each_unhcr(edit: Callable[[dict], None]) -> Callable[[dict], None]:
    return lambda doc: [edit(item) for item in doc["items"]] and None


def _unhcr_growing(query: dict) -> Answer:
    page = int(query.get("page", ["1"])[0])
    return (
        200,
        {"Content-Type": "application/json"},
        json.dumps({"page": page, "maxPages": page + 1, "items": []}).encode(),
    )


def _opec(rows: str) -> Handler:
    body = f'<?xml version="1.0" encoding="utf-8" ?>\n<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">\n{rows}</Basket>\n'
    return lambda query: (200, {"Content-Type": "application/xml"}, body.encode())


def _ei_sheet_renamed(query: dict) -> Answer:
    return 200, {}, energy_institute_workbook(sheet="Oil production, barrels")


WB_ERROR = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
FRED_TEN_MILLION = b"observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,10000000\n"

FAULTS: list[Fault] = [
    # connection and protocol
    Fault("connection_refused", "fred", lambda s: s.good("fred"), r"could not connect: .*refused", refused=True),
    Fault("connection_refused", "worldbank", lambda s: s.good("worldbank"), r"could not connect", refused=True),
    Fault(
        "hang_past_read_timeout",
        "unhcr",
        lambda s: hang(s.released, s.good("unhcr")),
        r"no answer within 0\.3 s \(read timeout\)",
        requests=2,  # a read timeout is retried once, not `retries` times
        http={"timeout": (1.0, 0.3)},
    ),
    Fault(
        "hang_past_read_timeout",
        "imf",
        lambda s: hang(s.released, s.good("imf")),
        r"no answer within 1 s \(read timeout\)",
        requests=2,
    ),
    Fault("hang_up_without_answer", "opec", lambda s: Raw(hang_up), r"could not connect|aborted|disconnected"),
    Fault("cut_mid_body", "fred", lambda s: Raw(cut_mid_body), r"connection broke while reading the body", requests=3),
    Fault(
        "http_500_then_success",
        "imf",
        lambda s: in_turn((500, {}, b"oops"), then=s.good("imf")),
        recovers=True,
        requests=2,
    ),
    Fault(
        "http_503_twice_then_success",
        "worldbank",
        lambda s: in_turn((503, {}, b""), (503, {}, b""), then=s.good("worldbank")),
        recovers=True,
        requests=3,
    ),
    Fault(
        "http_500_for_ever",
        "energy_institute",
        lambda s: status(500, b"Internal Server Error"),
        r"HTTP 500 Internal Server Error \(after 3 tries\)",
        requests=3,
    ),
    Fault(
        "http_429_retry_after_then_success",
        "worldbank",
        lambda s: in_turn((429, {"Retry-After": "1"}, b"Too Many Requests"), then=s.good("worldbank")),
        recovers=True,
        requests=2,
        waited_at_least=1.0,
    ),
    Fault("http_404", "opec", lambda s: status(404, b"Not Found"), r"HTTP 404", requests=1),
    Fault(
        "http_404",
        "fred",
        lambda s: status(404, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"HTTP 404",
        requests=1,
    ),
    Fault("http_403", "imf", lambda s: status(403, b"Forbidden"), r"HTTP 403", requests=1),
    Fault(
        "redirect_to_another_host",
        "imf",
        lambda s: status(302, b"", {"Location": "http://evil.example/steal?x=1"}),
        r"redirected to another host.*evil\.example.*not followed",
        requests=1,
    ),
    Fault(
        "redirect_to_another_host",
        "unhcr",
        lambda s: status(301, b"", {"Location": "https://api.unhcr.org.evil.example/"}),
        r"redirected to another host",
        requests=1,
    ),
    Fault(
        "body_over_size_limit_declared",
        "energy_institute",
        lambda s: status(200, b"x" * 300_000),
        r"300,000 bytes is over the 200,000-byte limit",
        http={"max_bytes": 200_000},
        requests=1,
    ),
    Fault(
        "body_over_size_limit_streamed",
        "unhcr",
        lambda s: Raw(endless_undeclared),
        r"body is over the 200,000-byte limit",
        http={"max_bytes": 200_000},
        requests=1,
    ),
    Fault(
        "body_dripping_for_ever",
        "fred",
        lambda s: Raw(drip),
        r"body still arriving after 0\.5 s",
        http={"max_seconds": 0.5},
        requests=1,
    ),
    # content
    Fault(
        "html_error_page",
        "worldbank",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "imf",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "unhcr",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected JSON, got an HTML",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "fred",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"expected CSV, got an HTML page",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "opec",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"DOCTYPE",
        requests=1,
    ),
    Fault(
        "html_error_page",
        "energy_institute",
        lambda s: status(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
        r"not an \.xlsx workbook",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "worldbank",
        lambda s: edit_bytes(s.good("worldbank"), lambda b: b[: len(b) // 2]),
        r"not valid JSON",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "imf",
        lambda s: edit_bytes(s.good("imf"), lambda b: b[: len(b) // 2]),
        r"not valid JSON",
        requests=1,
    ),
    Fault(
        "truncated_json",
        "unhcr",
        lambda s: edit_bytes(s.good("unhcr"), lambda b: b[: len(b) // 2]),
        r"answer is not JSON",
        requests=1,
    ),
    Fault(
        "truncated_xml",
        "opec",
        lambda s: edit_bytes(s.good("opec"), lambda b: b[: len(b) // 2]),
        r"not well-formed XML",
        requests=1,
    ),
    Fault(
        "truncated_workbook",
        "energy_institute",
        lambda s: edit_bytes(s.good("energy_institute"), lambda b: b[: len(b) // 2]),
        r"not an \.xlsx workbook",
        requests=1,
    ),
    Fault("empty_body", "imf", lambda s: status(200, b""), r"empty body", requests=1),
    Fault("empty_body", "fred", lambda s: status(200, b"", {"Content-Type": "text/csv"}), r"empty body", requests=1),
    Fault(
        "envelope_without_data",
        "worldbank",
        lambda s: status(200, json.dumps([{"page": 1, "pages": 0, "total": 0}, None]).encode()),
        r"holds no observations",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "unhcr",
        lambda s: status(200, b'{"page": 1, "maxPages": 1, "total": {"items": 0}, "items": []}'),
        r"no items",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "imf",
        lambda s: status(200, b'{"values": {"PCPIPCH": {}}, "api": {"version": "1"}}'),
        r"returned no values",
        requests=1,
    ),
    Fault(
        "envelope_without_data",
        "fred",
        lambda s: status(200, b"observation_date,DCOILWTICO\n"),
        r"holds no observations",
        requests=1,
    ),
    Fault("envelope_without_data", "opec", lambda s: _opec(""), r"no <BasketList", requests=1),
    Fault(
        "worldbank_message_error",
        "worldbank",
        lambda s: status(200, json.dumps(WB_ERROR).encode()),
        r"answered with an error: Invalid value \(id 120\)",
        requests=1,
    ),
    Fault(
        "worldbank_announces_a_billion_pages",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[0].update(pages=10**9)),
        r"over the limit of 50",
        requests=1,
    ),
    Fault(
        "imf_body_without_values",
        "imf",
        lambda s: status(200, b'{"api": {"version": "1", "output-method": "json"}}'),
        r"returned no values for PCPIPCH",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), _each_wb(_rename("countryiso3code", "countryIso3"))),
        r"expected field 'countryiso3code'",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), _each_unhcr(_rename("coa_iso", "coa_iso3"))),
        r"item has no field 'coa_iso'",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "imf",
        lambda s: edit_json(s.good("imf"), lambda d: {"data": d["values"], "api": d["api"]}),
        r"returned no values",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "fred",
        lambda s: edit_bytes(s.good("fred"), lambda b: b.replace(b",DCOILWTICO", b",VALUE")),
        r"expected header",
        requests=1,
    ),
    Fault(
        "renamed_field",
        "opec",
        lambda s: edit_bytes(s.good("opec"), lambda b: b.replace(b" val=", b" value=")),
        r"val=None is not a price",
        requests=1,
    ),
    Fault(
        "renamed_sheet",
        "energy_institute",
        lambda s: _ei_sheet_renamed,
        r"sheet 'Oil Production - barrels' not in workbook",
        requests=1,
    ),
    Fault(
        "changed_unit",
        "worldbank",
        lambda s: edit_json(
            s.good("worldbank"), _each_wb(lambda o: o["indicator"].update(value="Consumer price index (2010 = 100)"))
        ),
        r"unit changed: .*'Consumer price index \(2010 = 100\)'.*'annual %'",
        requests=1,
    ),
    Fault(
        "changed_type",
        "imf",
        lambda s: edit_json(s.good("imf"), lambda d: d["values"]["PCPIPCH"]["VEN"].update({"2017": "438.1%"})),
        r"expected a number for VEN 2017",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[1].append(dict(d[1][1]))),
        r"duplicate date 2016-01-01 for VEN",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "fred",
        lambda s: edit_bytes(s.good("fred"), lambda b: b + b"2020-04-20,-36.98\n"),
        r"duplicate date 2020-04-20 for WLD",
        requests=1,
    ),
    Fault(
        "duplicate_dates",
        "opec",
        lambda s: _opec('<BasketList data="2008-07-03" val="140.73" />\n' * 2),
        r"duplicate date 2008-07-03",
        requests=1,
    ),
    Fault(
        "duplicate_pages",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), lambda d: d["items"].append(dict(d["items"][0]))),
        r"2017 COL appears twice",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "fred",
        lambda s: status(200, FRED_TEN_MILLION),
        r"value 1e\+07 .* outside the plausible range for unit 'usd_per_barrel'",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "worldbank",
        lambda s: edit_json(s.good("worldbank"), lambda d: d[1][1].update(value=1e12)),
        r"value 1e\+12 .*outside the plausible range for unit 'pct'",
        requests=1,
    ),
    Fault(
        "value_out_of_range",
        "unhcr",
        lambda s: edit_json(s.good("unhcr"), lambda d: d["items"][0].update(refugees=-5_000_000_000)),
        r"outside the plausible range for unit 'persons'",
        requests=1,
    ),
    Fault(
        "value_not_finite",
        "opec",
        lambda s: _opec('<BasketList data="2008-07-03" val="NaN" />\n'),
        r"val='NaN' is not a price",
        requests=1,
    ),
    Fault(
        "unhcr_pages_never_end",
        "unhcr",
        lambda s: _unhcr_growing,
        r"page 2 announces maxPages 3 but page 1 announced 2.*never ends",
        requests=2,
        url=unhcr.page_url(2),
    ),
]


# ---------------------------------------------------------------- hostile text
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE = [
    SCRIPT,
    IMG,
    "[click me](javascript:window.__pwned=1)",
    '<a href="javascript:window.__pwned=1">link</a>',
    '<svg onload="window.__pwned=1"><circle r="9"/></svg>',
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    '"><script>window.__pwned=1</script>',
    "<style>body{display:none}</style>",
    "![beacon](http://127.0.0.1:9/beacon.png)",
    "$\\href{javascript:window.__pwned=1}{maths link}$",
    ":red[coloured] **bold** <b>b</b> `code`",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\u202eRTL override\u202c and \u200fright-to-left mark \u05e9\u05dc\u05d5\u05dd",
    "control \x07 bell \x1b[31m ansi red \x0b vertical tab",
    "{{7*7}} ${7*7} %(x)s {0}",
    "A" * 5000 + " very long",
]


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def hostile_data_dir(target: Path) -> Path:
    """A full copy of data/ whose titles, descriptions, events, quotes and claims are hostile text.

    Every series title gets a hostile prefix (so it still tells series apart); events and claims get
    hostile titles, descriptions, quotes and notes. Ids, dates, codes and numbers stay valid.
    """
    copy_data(target)
    catalog_path = target / "catalog.yaml"
    doc = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    for i, entry in enumerate(doc["series"]):
        for lang in ("en", "es"):
            entry["title"][lang] = f"{hostile(i)} {entry['title'][lang]}"
            entry["description"][lang] = f"{hostile(i + 1)} {entry['description'][lang]} {hostile(i + 2)}"
    catalog_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    events_path = target / "events.yaml"
    doc = yaml.safe_load(events_path.read_text(encoding="utf-8"))
    for i, event in enumerate(doc["events"]):
        for lang in ("en", "es"):
            event["title"][lang] = f"{hostile(i)} {event['title'][lang]}"
            event["description"][lang] = f"{hostile(i + 3)} {event['description'][lang]}"
        if event.get("quote"):
            event["quote"] = f"{hostile(i + 5)} {event['quote']}"
        if i % 4 == 0 and event.get("date_reference"):
            event["date_reference"] = "javascript:window.__pwned=1"
    events_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    claims_path = target / "claims.yaml"
    doc = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    for i, claim in enumerate(doc["claims"]):
        claim["quote"] = f"{hostile(i)} {claim['quote']}"
        if claim.get("references"):
            claim["references"] = ["javascript:window.__pwned=1", *claim["references"][1:]]
        for key in ("note", "no_series_note"):
            if isinstance(claim.get(key), dict):
                for lang in ("en", "es"):
                    claim[key][lang] = f"{hostile(i + 2)} {claim[key][lang]}"
    claims_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def copy_data(target: Path) -> Path:
    """A full copy of the project's data folder (no lock or temp files)."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns(".*"))
    return target


# ---------------------------------------------------------------- the dashboard against another data folder
APP_SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest

from streamlit import config

config.set_option("client.showErrorDetails", "full")  # the tests want the exception, readers never see it
pages, lang, query = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
report = {}
for page in pages:
    at = AppTest.from_file("dashboard.py", default_timeout=90)
    at.query_params["lang"] = lang
    for key, value in query.get(page, {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    texts = {
        kind: [getattr(e, "value", None) if kind != "exception" else e.message + "\n" + "\n".join(e.stack_trace)
               for e in getattr(at, kind)]
        for kind in ("exception", "error", "warning", "info", "success", "markdown", "caption", "title",
                     "header", "subheader", "text", "code", "latex", "metric")
    }
    texts["metric"] = [f"{m.label} {m.value}" for m in at.metric]
    texts["expander"] = [e.label for e in at.expander]
    texts["selectbox_options"] = [str(o) for s in at.selectbox for o in s.options]
    texts["multiselect_options"] = [str(o) for s in at.multiselect for o in s.options]
    texts["dataframe"] = [e.value.to_csv() for e in at.dataframe]
    texts["html"] = [e.proto.body for e in at.get("html")]
    unsafe = [e.value for e in at.markdown if getattr(e.proto, "allow_html", False)]
    texts["unsafe_markdown"] = unsafe
    texts["plotly_chart"] = [e.proto.spec for e in at.get("plotly_chart")]
    report[page] = texts
print("@@REPORT@@" + json.dumps(report, default=str))
"""


def run_dashboard(
    data_dir: Path, pages: list[str], lang: str = "en", query: dict | None = None, env: dict | None = None
) -> dict:
    """Run each page with AppTest in a fresh Python whose ``DASHBOARD_DATA`` is ``data_dir``.

    A subprocess, because the loaders read ``DASHBOARD_DATA`` at import and Streamlit caches
    data for the life of a process. Returns ``{page: {element kind: [texts]}}``.
    """
    env = {**os.environ, "DASHBOARD_DATA": str(data_dir), "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", APP_SCRIPT, json.dumps(pages), lang, json.dumps(query or {})],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    marker = done.stdout.rfind("@@REPORT@@")
    assert done.returncode == 0 and marker >= 0, f"AppTest run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(done.stdout[marker + len("@@REPORT@@") :])


PAGES = [
    "app_pages/overview.py",
    "app_pages/explore.py",
    "app_pages/inflation.py",
    "app_pages/migration.py",
    "app_pages/events.py",
    "app_pages/claims.py",
    "app_pages/sources.py",
    "app_pages/presenter.py",
]


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
