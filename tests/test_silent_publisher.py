"""A publisher that accepts the connection and never answers costs seconds, not one timeout per
series: the refresh gives that source up after its first timeout, keeps every other source going,
has an overall deadline, limits each request from its first byte, and shows where it is waiting.
Timeouts here are scaled down (0.5 s read timeout) so the arithmetic shows in a short test.
"""

from __future__ import annotations

import re
import shutil
import time
from urllib.parse import urlsplit

import pytest

from loaders.__main__ import main
from loaders.metadata import read_catalog
from loaders.refresh import refresh
from loaders.sources import worldbank
from tests.fault_server import (
    HOSTS,
    ROUTE,
    FaultServer,
    Raw,
    fast_http,
    hang,
    patched_cli_http,
    snapshot_files,
    temp_files,
)
from tests.publishers import REPO, SMALL_SERIES, small_data_dir

# Every World Bank series of the catalog: a silent World Bank used to cost one timeout for each.
WB_SERIES = [e["id"] for e in read_catalog(REPO / "data").series.values() if e["source"] == "worldbank"]
SILENT = {"timeout": (1.0, 0.5)}


def _wb_paths(data_dir) -> list[tuple[str, str]]:
    catalog = read_catalog(data_dir)
    return [
        ("api.worldbank.org", urlsplit(worldbank.url(e, 1)).path)
        for e in catalog.series.values()
        if e["source"] == "worldbank"
    ]


def _silence(server: FaultServer, data_dir, sources) -> None:
    """Every route of these sources accepts the request and answers nothing for a minute."""
    for source in sources:
        paths = _wb_paths(data_dir) if source == "worldbank" else [ROUTE[source]]
        for key in paths:
            server.routes[key] = hang(server.released, server.good(source), seconds=60)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    data_dir = small_data_dir(tmp_path_factory.mktemp("silent") / "data", SMALL_SERIES + WB_SERIES)
    with FaultServer() as server:
        outcomes = refresh(SMALL_SERIES, data_dir=data_dir, http=fast_http(server.base_url), progress=False)
    assert all(o.status == "updated" for o in outcomes), outcomes
    return data_dir


@pytest.fixture
def data_dir(baseline, tmp_path):
    return shutil.copytree(baseline, tmp_path / "data")


def _cli(data_dir, server, capsys, *extra: str) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    code = main(["--data-dir", str(data_dir), "refresh", "--mirror", server.base_url, *extra])
    elapsed = time.perf_counter() - start
    captured = capsys.readouterr()
    return code, captured.out, captured.err, elapsed


def test_a_silent_publisher_is_given_up_after_one_timeout_and_the_others_refresh(data_dir, monkeypatch, capsys):
    n = len(WB_SERIES)
    assert n >= 10, "the catalog should have many World Bank series for this test to mean something"
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch, **SILENT)
    with FaultServer() as server:
        _silence(server, data_dir, ["worldbank"])
        code, out, err, elapsed = _cli(data_dir, server, capsys)
        asked = server.count("worldbank")
    # Before: 3 tries of 0.5 s for each series, n × 1.5 s (16 series: 24 s; live 30 s timeouts: ~33 min).
    assert elapsed < 6, f"{elapsed:.1f} s with one silent publisher"
    assert asked == 2, f"the silent publisher was asked {asked} times (one read timeout, one retry)"
    assert code == 1
    failed = [line for line in out.splitlines() if line.startswith("FAILED worldbank")]
    assert len(failed) == n, out
    first, rest = failed[0], failed[1:]
    assert re.search(rf"no answer within 0\.5 s \(read timeout\); {n - 1} more series of this source not tried", first)
    assert all("not tried: World Bank did not answer in time" in line for line in rest), rest
    for source in HOSTS:
        if source != "worldbank":
            assert re.search(rf"^{source}\s+1 series: 1 unchanged$", out, re.M), f"{source} did not carry on:\n{out}"
    assert snapshot_files(data_dir) == before and temp_files(data_dir) == []
    # Without a terminal (this is captured): a line per source start and end, one per finished series.
    assert re.search(r"worldbank: started, \d+ series", err), err
    assert "fred: 1/1 oil_price_wti_daily_usd_per_barrel unchanged" in err
    assert re.search(r"worldbank: finished, 0 ok, \d+ failed", err)
    assert "Traceback" not in out + err


def test_every_publisher_silent_ends_in_seconds_and_keeps_everything(data_dir, monkeypatch, capsys):
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch, **SILENT)
    with FaultServer() as server:
        _silence(server, data_dir, HOSTS)
        code, out, err, elapsed = _cli(data_dir, server, capsys)
        asked = {source: server.count(source) for source in HOSTS}
    assert elapsed < 6, f"{elapsed:.1f} s with every publisher silent"
    assert code == 1
    assert all(n == 2 for n in asked.values()), asked
    assert f"0 updated, {len(WB_SERIES) + len(HOSTS) - 1} failed" in out, out
    assert snapshot_files(data_dir) == before and temp_files(data_dir) == []


def test_the_refresh_deadline_stops_a_slow_but_answering_publisher(data_dir, monkeypatch, capsys):
    """Each World Bank answer comes in 0.3 s (no timeout); a 1 s deadline leaves the rest untried."""
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch, **SILENT)
    with FaultServer() as server:
        for key in _wb_paths(data_dir):
            server.routes[key] = hang(server.released, server.good("worldbank"), seconds=0.3)
        code, out, _, elapsed = _cli(data_dir, server, capsys, "--deadline", "1")
    assert elapsed < 3, f"{elapsed:.1f} s with a 1 s deadline"
    assert code == 1
    # The request in flight when the deadline passes is cut; the series after it are not tried.
    failed = [line for line in out.splitlines() if line.startswith("FAILED worldbank")]
    assert len(failed) == len(WB_SERIES), out
    assert "not tried" in failed[-1] and "deadline" in failed[-1], out
    assert re.search(r"^fred\s+1 series: 1 unchanged$", out, re.M), out
    changed = {name for name in snapshot_files(data_dir) if snapshot_files(data_dir)[name] != before.get(name)}
    assert not changed - {n for n in changed if n.startswith(tuple(WB_SERIES))}, changed


def _header_drip(handler, released) -> None:
    """A status line, then one header byte every 0.2 s for ever: never a read timeout, never an answer."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    handler.wfile.flush()
    while not released.wait(0.2):
        handler.wfile.write(b"X")
        handler.wfile.flush()


def test_one_deadline_per_request_from_the_first_byte_not_from_the_headers(data_dir, monkeypatch, capsys):
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch, timeout=(1.0, 1.0), max_seconds=1.5)
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = Raw(_header_drip)
        code, out, _, elapsed = _cli(data_dir, server, capsys)
    assert elapsed < 5, f"{elapsed:.1f} s: a server dripping header bytes held the refresh"
    assert code == 1
    assert re.search(r"FAILED fred: oil_price_wti_daily_usd_per_barrel: no complete answer within 1\.5 s", out), out
    assert snapshot_files(data_dir) == before


def test_progress_bars_on_a_terminal(data_dir, capsys):
    with FaultServer() as server:
        refresh(SMALL_SERIES, data_dir=data_dir, http=fast_http(server.base_url), progress=True)
    err = capsys.readouterr().err
    for source in HOSTS:
        assert re.search(rf"{source}\s*: 100%.*1/1", err), f"no bar for {source}:\n{err}"
